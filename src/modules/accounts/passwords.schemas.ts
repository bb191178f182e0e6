// Request and response schemas of the password routes (contract 16).
import { type Static, Type } from '@sinclair/typebox';
import { LoginBody, RegisterBody } from './accounts.schemas.js';
import { PASSWORD_LENGTH } from './password-rules.js';

export const ChangePasswordBody = Type.Object(
  {
    current_password: LoginBody.properties.password,
    // No length here: the rules of section 2 are checked only once current_password is verified.
    new_password: Type.String({
      description: `${PASSWORD_LENGTH.minLength} to ${PASSWORD_LENGTH.maxLength} characters, not the current password; checked once current_password is verified (400)`,
    }),
  },
  { additionalProperties: false },
);
export type ChangePasswordInput = Static<typeof ChangePasswordBody>;

export const PasswordResetBody = Type.Object({ email: LoginBody.properties.email }, { additionalProperties: false });

export const ConfirmPasswordResetBody = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 200, description: 'the token of the reset link' }),
    new_password: RegisterBody.properties.password,
  },
  { additionalProperties: false },
);
export type ConfirmPasswordResetInput = Static<typeof ConfirmPasswordResetBody>;
