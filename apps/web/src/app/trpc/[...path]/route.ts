/**
 * Browser → this route → the API's /trpc: same origin for the browser (no CORS), and the API key
 * stays in an httpOnly cookie that page scripts cannot read. Bodies stream both ways, so the
 * job.progress SSE subscription passes through as it arrives.
 */
import { cookies } from 'next/headers';
import type { NextRequest } from 'next/server';
import { apiUrl, KEY_COOKIE } from '@/lib/session';

export const dynamic = 'force-dynamic';

const FORWARDED_REQUEST_HEADERS = ['content-type', 'accept', 'trpc-accept', 'last-event-id', 'x-trpc-source'];
const DROPPED_RESPONSE_HEADERS = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive', 'access-control-allow-origin', 'access-control-allow-headers', 'access-control-allow-methods']);

async function forward(req: NextRequest): Promise<Response> {
  const incoming = new URL(req.url);
  const target = `${apiUrl()}${incoming.pathname}${incoming.search}`;
  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const v = req.headers.get(name);
    if (v) headers.set(name, v);
  }
  const key = (await cookies()).get(KEY_COOKIE)?.value;
  if (key) headers.set('authorization', `Bearer ${key}`);

  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: req.method,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : await req.arrayBuffer(),
      // Closing the EventSource aborts this request, which ends the API's SSE stream too.
      signal: req.signal,
      cache: 'no-store',
      redirect: 'manual',
    });
  } catch (err) {
    const message = `the API at ${apiUrl()} is unreachable: ${err instanceof Error ? err.message : String(err)}`;
    return Response.json({ error: { message, code: -32603, data: { code: 'BAD_GATEWAY', httpStatus: 502 } } }, { status: 502 });
  }
  const out = new Headers();
  upstream.headers.forEach((v, k) => {
    if (!DROPPED_RESPONSE_HEADERS.has(k)) out.set(k, v);
  });
  if ((upstream.headers.get('content-type') ?? '').includes('text/event-stream')) {
    out.set('cache-control', 'no-cache, no-transform');
    out.set('x-accel-buffering', 'no');
  }
  return new Response(upstream.body, { status: upstream.status, statusText: upstream.statusText, headers: out });
}

export const GET = forward;
export const POST = forward;
