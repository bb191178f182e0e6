import { Algorithm, hash, verify } from '@node-rs/argon2';
import type { Config } from '../../config.js';
import type { Db, User, UserUpdate } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import { errors } from '../../errors.js';
import { toTimestamp } from '../../time/clock.js';
import { textOrThrow } from '../../text-fields.js';
import { MAX_DOMAIN_LABEL, MAX_LOCAL_PART, canonicalTimeZone, isIanaTimeZone, normalizeEmail } from './account-rules.js';
import {
  DISPLAY_NAME_RULE,
  EMAIL_RULE,
  type LoginInput,
  type RegisterInput,
  type TokenPair,
  type UpdateMeInput,
  type UserDto,
  toUserDto,
} from './accounts.schemas.js';
import { accountsRepository } from './accounts.repository.js';
import { hashToken, issueTokenPair } from './tokens.js';

export const ARGON2 = { algorithm: Algorithm.Argon2id } as const;

export function emailOrThrow(raw: string): string {
  const email = normalizeEmail(textOrThrow('email', raw, EMAIL_RULE));
  if (!email) {
    const message = `must be a valid email address: a local part of at most ${MAX_LOCAL_PART} characters, domain labels of at most ${MAX_DOMAIN_LABEL}`;
    throw errors.validation([{ field: 'email', message }], 'email must be a valid email address');
  }
  return email;
}

function timezoneOrThrow(zone: string): string {
  if (!isIanaTimeZone(zone)) {
    throw errors.validation([{ field: 'timezone', message: 'must be an IANA time zone name such as "Europe/Berlin"' }], `timezone "${zone}" is not an IANA time zone name`);
  }
  return canonicalTimeZone(zone);
}

function displayName(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  return textOrThrow('display_name', value, DISPLAY_NAME_RULE);
}

export function accountsService(db: Db, config: Config) {
  const repo = accountsRepository(db);
  // Compared against when the email is unknown, so both failures take as long.
  const dummyHash = hash('focus-dummy-password', ARGON2);

  /** A new login and its first token pair, committed together: no sign-in without tokens after a crash. */
  function signIn(userId: number, now: Date): Promise<TokenPair> {
    return db.transaction().execute(async (trx) => {
      const txRepo = accountsRepository(trx);
      const loginId = await txRepo.insertLogin(userId, toTimestamp(now));
      return issueTokenPair(txRepo, { loginId, userId }, now, config);
    });
  }

  return {
    async register(input: RegisterInput, now: Date) {
      const email = emailOrThrow(input.email);
      const timezone = timezoneOrThrow(input.timezone ?? 'UTC');
      const name = displayName(input.display_name) ?? null;
      if (await repo.findUserByEmail(email)) throw errors.emailTaken();
      const passwordHash = await hash(input.password, ARGON2);
      const nowTs = toTimestamp(now);
      let user: User;
      try {
        user = await repo.insertUser({ email, password_hash: passwordHash, display_name: name, timezone, created_at: nowTs, updated_at: nowTs });
      } catch (error) {
        if (isUniqueViolation(error)) throw errors.emailTaken();
        throw error;
      }
      return { ...(await signIn(user.id, now)), user: toUserDto(user) };
    },

    async login(input: LoginInput, now: Date) {
      const email = normalizeEmail(input.email);
      const user = email ? await repo.findUserByEmail(email) : undefined;
      if (!user) {
        await verify(await dummyHash, input.password).catch(() => false);
        throw errors.invalidCredentials();
      }
      const valid = await verify(user.password_hash, input.password).catch(() => false);
      if (!valid) throw errors.invalidCredentials();
      return { ...(await signIn(user.id, now)), user: toUserDto(user) };
    },

    async me(userId: number): Promise<UserDto> {
      const user = await repo.findUserById(userId);
      if (!user) throw errors.unauthorized();
      return toUserDto(user);
    },

    async updateMe(userId: number, input: UpdateMeInput, now: Date): Promise<UserDto> {
      const changes: UserUpdate = { ...input.settings, updated_at: toTimestamp(now) };
      if (input.timezone !== undefined) changes.timezone = timezoneOrThrow(input.timezone);
      if (input.display_name !== undefined) changes.display_name = displayName(input.display_name) ?? null;
      const user = await repo.updateUser(userId, changes);
      if (!user) throw errors.unauthorized();
      return toUserDto(user);
    },

    /** userId and loginId of a live access token, or undefined. */
    authenticate(token: string, now: Date) {
      return repo.findAccess(hashToken(token), toTimestamp(now));
    },

    /**
     * Rotation with reuse detection (RFC 9700 4.14.2): a live refresh token is exchanged for a new
     * pair of the same login and stops working; presenting one already rotated revokes the login.
     */
    async refresh(refreshToken: string, now: Date) {
      const nowTs = toTimestamp(now);
      const hashed = hashToken(refreshToken);
      const outcome = await db.transaction().execute(async (trx) => {
        const txRepo = accountsRepository(trx);
        const found = await txRepo.findRefresh(hashed);
        if (!found || found.loginRevokedAt !== null || found.expiresAt <= nowTs) return { kind: 'rejected' as const };
        // A rotated token presented again, or a concurrent request that rotated it first: reuse.
        if (found.rotatedAt !== null || !(await txRepo.rotateRefresh(hashed, nowTs))) {
          await txRepo.revokeLogin(found.loginId, nowTs);
          return { kind: 'reused' as const };
        }
        return { kind: 'rotated' as const, pair: await issueTokenPair(txRepo, found, now, config) };
      });
      // Thrown after the commit, so the revocation of a reused token's login is kept.
      if (outcome.kind === 'reused') throw errors.unauthorized('the refresh token was already used; every token of this sign-in is revoked');
      if (outcome.kind === 'rejected') throw errors.unauthorized('the refresh token is expired, revoked or unknown');
      return outcome.pair;
    },

    /** The login a refresh token (in any state) belongs to: the idempotency scope of /auth/refresh. */
    refreshTokenOwner(refreshToken: string) {
      return repo.findRefresh(hashToken(refreshToken));
    },

    /** Revokes the caller's login, and the login of `refreshToken` when it is the caller's too. */
    async logout(auth: { userId: number; loginId: number }, refreshToken: string | undefined, now: Date): Promise<void> {
      const nowTs = toTimestamp(now);
      await db.transaction().execute(async (trx) => {
        const txRepo = accountsRepository(trx);
        await txRepo.revokeLogin(auth.loginId, nowTs);
        if (refreshToken === undefined) return;
        const other = await txRepo.findRefresh(hashToken(refreshToken));
        if (other && other.userId === auth.userId && other.loginId !== auth.loginId) await txRepo.revokeLogin(other.loginId, nowTs);
      });
    },

    /** Deletes the user and, by cascade, every row of theirs: sessions, progress, badges, tokens, idempotency records. */
    async deleteAccount(userId: number): Promise<void> {
      if (!(await repo.deleteUser(userId))) throw errors.unauthorized();
    },

    deleteExpiredTokens(now: Date): Promise<void> {
      return repo.deleteExpiredTokens(toTimestamp(now));
    },
  };
}

export type AccountsService = ReturnType<typeof accountsService>;
