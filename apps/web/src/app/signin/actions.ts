'use server';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { apiUrl, KEY_COOKIE, KEY_COOKIE_OPTIONS, looksLikeKey } from '@/lib/session';

export interface SignInState {
  error: string | null;
}

/** Checks the key against the API before keeping it, so a typo is reported here, not on the next page. */
export async function signIn(_prev: SignInState, form: FormData): Promise<SignInState> {
  const key = String(form.get('key') ?? '').trim();
  const next = String(form.get('next') ?? '/');
  if (!looksLikeKey(key)) return { error: 'An API key looks like plk_ followed by 32 letters and digits.' };
  let status: number;
  try {
    const res = await fetch(`${apiUrl()}/trpc/dataset.list`, { headers: { authorization: `Bearer ${key}` }, cache: 'no-store' });
    status = res.status;
  } catch (err) {
    return { error: `The API at ${apiUrl()} does not answer (${err instanceof Error ? err.message : String(err)}).` };
  }
  if (status === 401) return { error: 'The API does not know this key (revoked, or from another database).' };
  if (status !== 200) return { error: `The API answered ${status}; try again.` };
  (await cookies()).set(KEY_COOKIE, key, KEY_COOKIE_OPTIONS);
  redirect(next.startsWith('/') && !next.startsWith('//') ? next : '/');
}

export async function signOut(): Promise<void> {
  (await cookies()).delete(KEY_COOKIE);
  redirect('/signin');
}
