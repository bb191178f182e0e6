// Opaque tokens (access fa_, refresh fr_, password reset fp_): random, shown once, stored only as a SHA-256 hash.
import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../../config.js';
import { toTimestamp } from '../../time/clock.js';
import type { AccountsRepository } from './accounts.repository.js';
import type { TokenPair } from './accounts.schemas.js';

export function newToken(prefix: 'fa' | 'fr' | 'fp'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** A new pair for a login, stored as hashes with their expiries: the one way any sign-in gets tokens. */
export async function issueTokenPair(
  repo: AccountsRepository,
  login: { loginId: number; userId: number },
  now: Date,
  lifetimes: Pick<Config, 'accessTokenTtlSeconds' | 'refreshTokenTtlSeconds'>,
): Promise<TokenPair> {
  const access = newToken('fa');
  const refresh = newToken('fr');
  const expiresAt = (seconds: number) => toTimestamp(new Date(now.getTime() + seconds * 1000));
  await repo.insertTokens(
    login.loginId,
    login.userId,
    { hash: hashToken(access), expiresAt: expiresAt(lifetimes.accessTokenTtlSeconds) },
    { hash: hashToken(refresh), expiresAt: expiresAt(lifetimes.refreshTokenTtlSeconds) },
  );
  return { access_token: access, refresh_token: refresh, token_type: 'Bearer', expires_in: lifetimes.accessTokenTtlSeconds };
}
