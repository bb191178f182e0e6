import { type Static, Type } from '@sinclair/typebox';
import type { User } from '../../db/database.js';
import { Envelope, Id, Nullable, Timestamp } from '../../schemas.js';
import { TextField, type TextRule } from '../../text-fields.js';
import { MAX_DOMAIN_LABEL, MAX_LOCAL_PART, SETTINGS_BOUNDS } from './account-rules.js';
import { PASSWORD_LENGTH } from './password-rules.js';

const settingsFields = {
  daily_goal_seconds: Type.Integer({ ...SETTINGS_BOUNDS.dailyGoalSeconds, description: 'focus seconds a day aims at; 0 = no goal', examples: [3600] }),
  default_duration_seconds: Type.Integer({
    ...SETTINGS_BOUNDS.defaultDurationSeconds,
    description: 'the duration clients preselect; POST /sessions still needs duration_seconds',
    examples: [1500],
  }),
  week_starts_on: Type.Union([Type.Literal('monday'), Type.Literal('sunday')], { description: 'the first day of a week in clients' }),
};

export const SettingsSchema = Type.Object(settingsFields);
export type SettingsDto = Static<typeof SettingsSchema>;

export const UserSchema = Type.Object(
  {
    id: Id,
    email: Type.String(),
    display_name: Nullable(Type.String()),
    timezone: Type.String({ examples: ['Europe/Berlin'] }),
    created_at: Timestamp,
    settings: SettingsSchema,
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
    settings: {
      daily_goal_seconds: user.daily_goal_seconds,
      default_duration_seconds: user.default_duration_seconds,
      week_starts_on: user.week_starts_on,
    },
  };
}

export const TokenPairSchema = Type.Object({
  access_token: Type.String(),
  refresh_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ description: 'access token lifetime in seconds' }),
});
export type TokenPair = Static<typeof TokenPairSchema>;

export const EMAIL_RULE: TextRule = { maxLength: 254, trim: true };
export const DISPLAY_NAME_RULE: TextRule = { maxLength: 100, trim: true };

const Email = TextField(EMAIL_RULE, {
  description: `compared case-insensitively; a local part of at most ${MAX_LOCAL_PART} and domain labels of at most ${MAX_DOMAIN_LABEL} characters`,
});
const Password = Type.String({ ...PASSWORD_LENGTH });
const Timezone = Type.String({ minLength: 1, maxLength: 64, description: 'an IANA time zone name', examples: ['Europe/Berlin'] });
const DisplayName = Type.Union([TextField(DISPLAY_NAME_RULE), Type.Null()]);

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

export const UpdateSettingsBody = Type.Partial(Type.Object(settingsFields, { additionalProperties: false }), {
  additionalProperties: false,
  description: 'any subset; the settings left out keep their value',
});

export const UpdateMeBody = Type.Object(
  { display_name: Type.Optional(DisplayName), timezone: Type.Optional(Timezone), settings: Type.Optional(UpdateSettingsBody) },
  { additionalProperties: false, description: 'any subset; an empty object changes nothing' },
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
