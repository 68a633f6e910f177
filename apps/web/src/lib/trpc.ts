'use client';
/**
 * The tRPC client: queries and mutations batched over HTTP, job.progress over SSE, both to this
 * app's own /trpc route (which adds the API key from the httpOnly cookie and forwards to the API).
 */
import { QueryCache, QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, isTRPCClientError, splitLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from './api-types';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export function isUnauthorized(err: unknown): boolean {
  return isTRPCClientError(err) && err.data?.code === 'UNAUTHORIZED';
}

export function makeQueryClient(onUnauthorized: () => void): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (err) => {
        if (isUnauthorized(err)) onUnauthorized();
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 2_000,
        // 4xx answers do not get better by asking again.
        retry: (count, err) => count < 2 && !(isTRPCClientError(err) && (err.data?.httpStatus ?? 500) < 500),
      },
    },
  });
}

export function makeTrpcClient() {
  const url = '/trpc'; // same origin: relative works for fetch and EventSource
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url }),
        false: httpBatchLink({ url }),
      }),
    ],
  });
}
