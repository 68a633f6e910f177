'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';

const LINKS = [
  { href: '/', label: 'Overview' },
  { href: '/jobs/new', label: 'New job' },
  { href: '/runs', label: 'Runs' },
  { href: '/compare', label: 'Compare' },
  { href: '/datasets', label: 'Datasets' },
  { href: '/phases', label: 'Phases' },
  { href: '/models', label: 'Cost models' },
  { href: '/cost', label: 'Cloud cost' },
  { href: '/regressions', label: 'Regressions' },
  { href: '/gpu', label: 'PG-Strom' },
];

export function NavLinks() {
  const path = usePathname();
  const active = (href: string) => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`));
  return (
    <nav className="nav" aria-label="Main">
      {LINKS.map((l) => (
        <Link key={l.href} href={l.href} className={active(l.href) ? 'active' : undefined} aria-current={active(l.href) ? 'page' : undefined}>
          {l.label}
        </Link>
      ))}
    </nav>
  );
}
