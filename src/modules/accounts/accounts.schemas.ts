import { type Static, Type } from '@sinclair/typebox';
import type { User } from '../../db/database.js';
import { Envelope, Id, Timestamp } from '../../schemas.js';

export const UserSchema = Type.Object(
  {
    id: Id,
    email: Type.String(),
    display_name: Type.Union([Type.String(), Type.Null()]),
    timezone: Type.String({ examples: ['Europe/Berlin'] }),
    created_at: Timestamp,
  },
  { $id: 'User' },
);
export type UserDto = Static<typeof UserSchema>;

export function toUserDto(user: User): UserDto {
  return {
    id: user.id,
    email: user.email,
    display_name: user.display_name,
    timezone: user.timezone,
    created_at: user.created_at,
  };
}

export const TokenPairSchema = Type.Object({
  access_token: Type.String(),
  refresh_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ description: 'access token lifetime in seconds' }),
});
export type TokenPair = Static<typeof TokenPairSchema>;

const Email = Type.String({ minLength: 1, maxLength: 320, description: 'trimmed, case-insensitive, at most 254 characters' });
const Password = Type.String({ minLength: 8, maxLength: 128 });
const Timezone = Type.String({ minLength: 1, maxLength: 64, description: 'an IANA time zone name', examples: ['Europe/Berlin'] });
const DisplayName = Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()]);

export const RegisterBody = Type.Object(
  {
    email: Email,
    password: Password,
    timezone: Type.Optional(Timezone),
    display_name: Type.Optional(DisplayName),
  },
  { additionalProperties: false },
);
export type RegisterInput = Static<typeof RegisterBody>;

export const LoginBody = Type.Object({ email: Email, password: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false });
export type LoginInput = Static<typeof LoginBody>;

export const UpdateMeBody = Type.Object(
  { display_name: Type.Optional(DisplayName), timezone: Type.Optional(Timezone) },
  { additionalProperties: false },
);
export type UpdateMeInput = Static<typeof UpdateMeBody>;

export const AuthResult = Type.Intersect([TokenPairSchema, Type.Object({ user: UserSchema })]);

export const AuthResponse = Envelope(AuthResult);
export const TokenPairResponse = Envelope(TokenPairSchema);
export const DeletedResponse = Envelope(Type.Null());

const RefreshToken = Type.String({ minLength: 1, maxLength: 200, description: 'the refresh_token of a token pair' });
export const RefreshBody = Type.Object({ refresh_token: RefreshToken }, { additionalProperties: false });
export const LogoutBody = Type.Object({ refresh_token: Type.Optional(RefreshToken) }, { additionalProperties: false });
export type LogoutInput = Static<typeof LogoutBody>;
export const UserResponse = Envelope(UserSchema);
