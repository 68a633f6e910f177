/**
 * Sign-in gate, before any page renders:
 *   - `?key=plk_…` on any page (the link `npm start` prints) stores the key in the httpOnly cookie
 *     and redirects to the same page without it, so the key does not stay in the address bar;
 *   - a page request without the cookie goes to /signin.
 * The key is checked by the API on the first call; a rejected key sends the browser back to /signin.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { KEY_COOKIE, KEY_COOKIE_OPTIONS, looksLikeKey } from '@/lib/session';

export function proxy(req: NextRequest) {
  const url = req.nextUrl;
  const key = url.searchParams.get('key');
  if (key !== null) {
    const target = url.clone();
    target.searchParams.delete('key');
    if (!looksLikeKey(key)) {
      target.pathname = '/signin';
      target.search = '?invalid=1';
      return NextResponse.redirect(target);
    }
    if (target.pathname === '/signin') {
      target.pathname = target.searchParams.get('next')?.startsWith('/') ? target.searchParams.get('next')! : '/';
      target.search = '';
    }
    const res = NextResponse.redirect(target);
    res.cookies.set(KEY_COOKIE, key, KEY_COOKIE_OPTIONS);
    return res;
  }
  if (url.pathname !== '/signin' && !req.cookies.get(KEY_COOKIE)) {
    const target = url.clone();
    target.pathname = '/signin';
    target.search = '';
    if (url.pathname !== '/') target.searchParams.set('next', url.pathname + url.search);
    return NextResponse.redirect(target);
  }
  return NextResponse.next();
}

export const config = {
  // Pages only: not the API proxy, not Next's assets.
  matcher: ['/((?!trpc|_next/|favicon\\.ico|icon\\.svg).*)'],
};
