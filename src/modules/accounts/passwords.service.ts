// Change password, and reset by email (contract 16): one transaction per change; the reset mail
// goes out after the answer, through the app's mailer.
import { hash, verify } from '@node-rs/argon2';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { errors } from '../../errors.js';
import type { Mailer } from '../../mail/mailer.js';
import { toTimestamp } from '../../time/clock.js';
import { accountsRepository } from './accounts.repository.js';
import { type TokenPair, type UserDto, toUserDto } from './accounts.schemas.js';
import { ARGON2 } from './accounts.service.js';
import type { RequestAuth } from './bearer-auth.js';
import { RESET_KEPT_AFTER_EXPIRY_MS, RESET_TOKEN_TTL_MS, mayMailResetAgain, newPasswordProblem, resetLink, resetMailText } from './password-rules.js';
import type { ChangePasswordInput, ConfirmPasswordResetInput } from './passwords.schemas.js';
import { passwordsRepository } from './passwords.repository.js';
import { hashToken, issueTokenPair, newToken } from './tokens.js';

const later = (now: Date, ms: number) => toTimestamp(new Date(now.getTime() + ms));

export function passwordsService(db: Db, config: Config, mailer: Mailer | null) {
  const repo = passwordsRepository(db);

  return {
    /** Whether reset mail can go out at all (SMTP_URL is set). */
    canMail: mailer !== null,

    /** The caller's login keeps working; every other one, and every outstanding reset token, stops. */
    async changePassword(auth: RequestAuth, input: ChangePasswordInput, now: Date): Promise<void> {
      const user = await accountsRepository(db).findUserById(auth.userId);
      if (!user) throw errors.unauthorized();
      if (!(await verify(user.password_hash, input.current_password).catch(() => false))) throw errors.wrongCurrentPassword();
      const problem = newPasswordProblem(input.current_password, input.new_password);
      if (problem) throw errors.validation([{ field: 'new_password', message: problem }], `new_password ${problem}`);
      const passwordHash = await hash(input.new_password, ARGON2);
      const nowTs = toTimestamp(now);
      await db.transaction().execute(async (trx) => {
        const txRepo = passwordsRepository(trx);
        if (!(await txRepo.setPasswordHash(auth.userId, passwordHash, nowTs))) throw errors.unauthorized();
        await txRepo.revokeLogins(auth.userId, nowTs, auth.loginId);
        await txRepo.invalidateResets(auth.userId, nowTs);
      });
    },

    /**
     * Runs after the 202, so that known and unknown addresses answer alike and as fast: for an
     * account with this email, a new token and its mail, unless one went out less than 5 minutes ago.
     */
    async mailResetToken(email: string, now: Date, log: FastifyBaseLogger): Promise<void> {
      if (!mailer) return;
      const token = newToken('fp');
      const reset = await db.transaction().execute(async (trx) => {
        const txRepo = passwordsRepository(trx);
        // locked, so that two requests at once cannot both find no recent mail
        const user = await txRepo.lockUserByEmail(email);
        if (!user) return undefined;
        if (!mayMailResetAgain(await txRepo.lastResetCreatedAt(user.id), now)) {
          log.info('password reset: no mail, one went to this account less than 5 minutes ago');
          return undefined;
        }
        const id = await txRepo.insertReset(user.id, hashToken(token), toTimestamp(now), later(now, RESET_TOKEN_TTL_MS));
        return { id, email: user.email };
      });
      if (!reset) return;
      const text = resetMailText(resetLink(config.passwordResetUrl, token));
      const sent = await mailer.send({ kind: 'password_reset', to: reset.email, subject: 'Reset your Focus password', text }, log);
      // No one holds the token of a mail that never left: drop it, so the user may ask again at once.
      if (!sent) await repo.deleteReset(reset.id);
    },

    /** Uses the token: a new password, every earlier login revoked, and a new sign-in. */
    async confirmReset(input: ConfirmPasswordResetInput, now: Date): Promise<TokenPair & { user: UserDto }> {
      const tokenHash = hashToken(input.token);
      const nowTs = toTimestamp(now);
      const found = await repo.findReset(tokenHash);
      if (!found || found.usedAt !== null || found.expiresAt <= nowTs) throw errors.resetTokenInvalid();
      const passwordHash = await hash(input.new_password, ARGON2);
      return db.transaction().execute(async (trx) => {
        const txRepo = passwordsRepository(trx);
        // the token is taken here, conditionally: of two confirms at once, one wins
        const userId = await txRepo.useReset(tokenHash, nowTs);
        if (userId === undefined) throw errors.resetTokenInvalid();
        const user = await txRepo.setPasswordHash(userId, passwordHash, nowTs);
        if (!user) throw errors.resetTokenInvalid();
        await txRepo.invalidateResets(userId, nowTs);
        await txRepo.revokeLogins(userId, nowTs);
        const accounts = accountsRepository(trx);
        const loginId = await accounts.insertLogin(userId, nowTs);
        return { ...(await issueTokenPair(accounts, { loginId, userId }, now, config)), user: toUserDto(user) };
      });
    },

    /** The reset a token belongs to, in any state: the idempotency scope of a confirm. */
    resetTokenOwner(token: string) {
      return repo.findReset(hashToken(token));
    },

    deleteStaleResets(now: Date): Promise<void> {
      return repo.deleteResetsExpiredBefore(later(now, -RESET_KEPT_AFTER_EXPIRY_MS));
    },
  };
}

export type PasswordsService = ReturnType<typeof passwordsService>;
