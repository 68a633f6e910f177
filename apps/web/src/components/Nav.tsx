import Link from 'next/link';
import { signOut } from '@/app/signin/actions';
import { NavLinks } from './NavLinks';

export function Nav({ signedIn }: { signedIn: boolean }) {
  return (
    <header className="topbar">
      <Link href="/" className="brand">
        <span className="brand-mark" aria-hidden>
          ◧
        </span>
        Phaselab
      </Link>
      {signedIn && (
        <>
          <NavLinks />
          <form action={signOut} className="signout">
            <button type="submit" className="link">
              Sign out
            </button>
          </form>
        </>
      )}
    </header>
  );
}
