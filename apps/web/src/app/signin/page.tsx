import { SignInForm } from './SignInForm';

export const metadata = { title: 'Sign in · Phaselab' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const next = typeof sp.next === 'string' && sp.next.startsWith('/') ? sp.next : '/';
  const notice = sp.expired ? 'The API rejected the stored key; sign in again.' : sp.invalid ? 'That link did not hold a valid API key.' : null;
  return (
    <div className="signin-wrap">
      <SignInForm next={next} notice={notice} />
    </div>
  );
}
