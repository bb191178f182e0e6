// Signing in and staying signed in. The access token lives only in memory; the refresh token is kept
// in localStorage so a reload keeps you signed in (the usual compromise for a pure SPA: an XSS could
// read it, so the page loads no third-party script and the server rotates it on every use).
// Refreshes are serialized across tabs with navigator.locks, because presenting a refresh token
// that another tab has already rotated revokes the whole login (reuse detection), and each refresh
// carries an Idempotency-Key that is kept with the token, so a refresh whose answer was lost is
// retried with the same key and gets the same new pair instead of tripping reuse detection.
import { api, currentAccessToken, setAccessToken } from '../api/client.js';
import { newKey } from './ids.js';

const REFRESH_TOKEN = 'focus.refreshToken';
const REFRESH_KEY = 'focus.refreshKey';

export interface TokenPair {
  access_token: string;
  refresh_token: string;
}

type Listener = (signedIn: boolean) => void;
const listeners = new Set<Listener>();

export function onAuthChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(): void {
  for (const listener of listeners) listener(isSignedIn());
}

export function isSignedIn(): boolean {
  return localStorage.getItem(REFRESH_TOKEN) !== null;
}

export function storeTokens(pair: TokenPair): void {
  const wasSignedIn = isSignedIn();
  setAccessToken(pair.access_token);
  localStorage.setItem(REFRESH_TOKEN, pair.refresh_token);
  localStorage.removeItem(REFRESH_KEY);
  if (!wasSignedIn) notify();
}

export function forgetTokens(): void {
  setAccessToken(null);
  localStorage.removeItem(REFRESH_TOKEN);
  localStorage.removeItem(REFRESH_KEY);
  notify();
}

// Another tab signed out (or in): follow it.
addEventListener('storage', (event) => {
  if (event.key === REFRESH_TOKEN && (event.newValue === null) !== (event.oldValue === null)) {
    if (event.newValue === null) setAccessToken(null);
    notify();
  }
});

async function withRefreshLock<T>(work: () => Promise<T>): Promise<T> {
  if (navigator.locks) return navigator.locks.request('focus-refresh', work);
  return work();
}

export type RefreshOutcome = 'ok' | 'signed-out' | 'offline';

let refreshing: Promise<RefreshOutcome> | null = null;

/** A new access token from the stored refresh token; one at a time per tab, and across tabs. */
export function refresh(): Promise<RefreshOutcome> {
  refreshing ??= withRefreshLock(async (): Promise<RefreshOutcome> => {
    const token = localStorage.getItem(REFRESH_TOKEN);
    if (!token) return 'signed-out';
    // The key belongs to this refresh token: reuse it until the token has been exchanged.
    const stored = localStorage.getItem(REFRESH_KEY);
    const [keyToken, savedKey] = stored ? (stored.split(' ') as [string, string]) : [];
    const key = keyToken === token && savedKey ? savedKey : newKey();
    localStorage.setItem(REFRESH_KEY, `${token} ${key}`);
    try {
      const { data, response } = await api.POST('/api/v1/auth/refresh', {
        body: { refresh_token: token },
        headers: { 'Idempotency-Key': key },
      });
      if (data) {
        storeTokens(data.data);
        return 'ok';
      }
      if (response.status === 401) {
        // Another tab may have rotated it while we waited for the lock: use the newer one next time.
        if (localStorage.getItem(REFRESH_TOKEN) !== token) return 'ok';
        forgetTokens();
        return 'signed-out';
      }
      return 'offline';
    } catch {
      return 'offline';
    }
  }).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

export class SignedOut extends Error {
  constructor() {
    super('signed out');
    this.name = 'SignedOut';
  }
}

export class Offline extends Error {
  constructor(cause?: unknown) {
    super('offline', { cause });
    this.name = 'Offline';
  }
}

/**
 * Runs an API call with a valid access token: gets one first when this tab has none (after a
 * reload), and refreshes once and retries when the server answers 401.
 * Throws Offline when the network is down and SignedOut when the login is gone.
 */
export async function authed<R extends { response: Response }>(call: () => Promise<R>): Promise<R> {
  if (!currentAccessToken()) await ensure(await refresh());
  let result: R;
  try {
    result = await call();
  } catch (error) {
    throw new Offline(error);
  }
  if (result.response.status === 401) {
    setAccessToken(null);
    await ensure(await refresh());
    try {
      result = await call();
    } catch (error) {
      throw new Offline(error);
    }
    if (result.response.status === 401) {
      forgetTokens();
      throw new SignedOut();
    }
  }
  return result;
}

async function ensure(outcome: RefreshOutcome): Promise<void> {
  if (outcome === 'signed-out') throw new SignedOut();
  if (outcome === 'offline') throw new Offline();
}

export async function signOut(): Promise<void> {
  const token = localStorage.getItem(REFRESH_TOKEN);
  try {
    if (token) await authed(() => api.POST('/api/v1/auth/logout', { body: { refresh_token: token }, headers: { 'Idempotency-Key': newKey() } }));
  } catch {
    // Offline or already signed out: the tokens are forgotten here anyway; the refresh token expires on its own.
  }
  forgetTokens();
}
