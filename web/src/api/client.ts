// The typed API client: openapi-fetch over the types generated from the server's OpenAPI document.
// It imports nothing from lib/: lib/ calls it, and main.tsx adds the test clock's header to it.
import createClient from 'openapi-fetch';
import type { paths } from './schema';

let accessToken: string | null = null;

export function setAccessToken(token: string | null): void {
  accessToken = token;
}

export function currentAccessToken(): string | null {
  return accessToken;
}

export const api = createClient<paths>({
  baseUrl: '',
  // Read fetch at call time (not at import), so the page's own fetch is always the one used.
  fetch: (request) => globalThis.fetch(request),
});

// The routes that take no bearer token (logout does: it revokes the login it belongs to).
const PUBLIC = /^\/api\/v1\/auth\/(register|login|refresh|password-reset|password-reset\/confirm)$/;

api.use({
  onRequest({ request }) {
    if (accessToken && !request.headers.has('authorization') && !PUBLIC.test(new URL(request.url).pathname)) {
      request.headers.set('authorization', `Bearer ${accessToken}`);
    }
    return request;
  },
});

/** The error envelope's code and message, from whatever an error answer carried. */
export function errorMessage(error: unknown, fallback = 'Something went wrong. Please try again.'): string {
  if (error && typeof error === 'object' && 'message' in error && typeof (error as { message: unknown }).message === 'string') {
    const message = (error as { message: string }).message;
    return message.charAt(0).toUpperCase() + message.slice(1);
  }
  return fallback;
}

export function errorCode(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'error' in error) {
    const inner = (error as { error: unknown }).error;
    if (inner && typeof inner === 'object' && 'code' in inner) return String((inner as { code: unknown }).code);
  }
  return undefined;
}
