// The account: sign up, log in (both keep the new token pair), and who is signed in.
import { api, errorCode, errorMessage } from '../api/client.js';
import type { User } from '../api/types.js';
import { type TokenPair, authed, storeTokens } from './auth.js';

export interface Credentials {
  email: string;
  password: string;
}

/** The reason to show when the server refuses, or null when signed in. A network failure throws. */
export async function register(credentials: Credentials & { timezone: string; display_name?: string }): Promise<string | null> {
  return signedIn(await api.POST('/api/v1/auth/register', { body: credentials }));
}

export async function logIn(credentials: Credentials): Promise<string | null> {
  return signedIn(await api.POST('/api/v1/auth/login', { body: credentials }));
}

function signedIn(result: { data?: { data: TokenPair }; error?: unknown }): string | null {
  if (result.data) {
    storeTokens(result.data.data);
    return null;
  }
  return errorMessage(result.error);
}

/** The signed-in user, or null when it cannot be had (offline, signed out). */
export async function loadUser(): Promise<User | null> {
  try {
    const { data } = await authed(() => api.GET('/api/v1/users/me'));
    return data?.data ?? null;
  } catch {
    return null;
  }
}

export type ResetRequestOutcome = 'sent' | 'not-configured' | { message: string };

/**
 * Asks for a reset link. The server answers the same whether or not the account exists (202); a server
 * that cannot send email says so (503 email_not_configured). A network failure throws.
 */
export async function requestPasswordReset(email: string): Promise<ResetRequestOutcome> {
  const { response, error } = await api.POST('/api/v1/auth/password-reset', { body: { email } });
  if (response.status === 202) return 'sent';
  if (errorCode(error) === 'email_not_configured') return 'not-configured';
  return { message: errorMessage(error) };
}

export type ResetConfirmOutcome = 'signed-in' | 'token-invalid' | { message: string };

/**
 * Sets a new password with the link's token and signs in with the pair it answers. `leave` runs first when
 * it is given (another login open in this browser is signed out before the new one is kept). A network
 * failure throws.
 */
export async function confirmPasswordReset(token: string, newPassword: string, key: string, leave?: () => Promise<void>): Promise<ResetConfirmOutcome> {
  const result = await api.POST('/api/v1/auth/password-reset/confirm', {
    body: { token, new_password: newPassword },
    headers: { 'Idempotency-Key': key },
  });
  if (errorCode(result.error) === 'reset_token_invalid') return 'token-invalid';
  if (result.data && leave) await leave();
  const refused = signedIn(result);
  return refused === null ? 'signed-in' : { message: refused };
}
