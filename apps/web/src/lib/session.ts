/** Where the dashboard keeps the caller's API key, and where it finds the API. Server-only. */

/** httpOnly cookie holding the API key; the /trpc proxy turns it into `Authorization: Bearer`. */
export const KEY_COOKIE = 'phaselab_key';

export const KEY_COOKIE_OPTIONS = {
  httpOnly: true,
  sameSite: 'lax' as const,
  path: '/',
  maxAge: 30 * 24 * 3600,
};

/** Read per request (not at build time): one build serves any API, e.g. the e2e stack's port. */
export function apiUrl(): string {
  return (process.env.API_URL ?? process.env.PHASELAB_API_URL ?? 'http://127.0.0.1:3001').replace(/\/+$/, '');
}

export const looksLikeKey = (key: string) => /^plk_[A-Za-z0-9]{8,190}$/.test(key);
