import type { Metadata, Viewport } from 'next';
import { cookies } from 'next/headers';
import type { ReactNode } from 'react';
import { Nav } from '@/components/Nav';
import { KEY_COOKIE } from '@/lib/session';
import { Providers } from './providers';
import './globals.css';

export const metadata: Metadata = {
  title: 'Phaselab',
  description: 'Measurements instead of guesses: SQL workloads on the Phaselab engine and its peers.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const signedIn = Boolean((await cookies()).get(KEY_COOKIE));
  return (
    <html lang="en">
      <body>
        <Nav signedIn={signedIn} />
        <main className="page">
          <Providers>{children}</Providers>
        </main>
      </body>
    </html>
  );
}
