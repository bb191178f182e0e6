// The account: sign up, log in (both keep the new token pair), and who is signed in.
import { api, errorMessage } from '../api/client.js';
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
