'use client';
import { QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { makeQueryClient, makeTrpcClient, TRPCProvider } from '@/lib/trpc';

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(() =>
    makeQueryClient(() => {
      // The key in the cookie was revoked or the database was reset: ask for a new one.
      if (!window.location.pathname.startsWith('/signin')) window.location.assign(`/signin?expired=1&next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
    }),
  );
  const [trpcClient] = useState(makeTrpcClient);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
