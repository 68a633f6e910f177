/**
 * The API server (port 3001, env PORT):
 *   GET  /health                 200 {"status":"ok"} (503 when the store is unreachable)
 *   /trpc/*                      tRPC (job.progress is an SSE subscription)
 *   /api/v1/*                    the same operations as plain HTTP/JSON (trpc-to-openapi)
 *   GET  /api/v1/openapi.json    their OpenAPI document
 * Jobs go to the queue; a separate worker process (worker.ts) runs them.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { createOpenApiHttpHandler } from 'trpc-to-openapi';
import { syncCatalog } from './catalog.js';
import { createDb } from './db/client.js';
import { config, databaseUrl } from './env.js';
import { JobEvents } from './job-events.js';
import { openApiDocument } from './openapi.js';
import { startBoss } from './queue/boss.js';
import { appRouter } from './routers/root.js';
import { createContext, type Services } from './trpc.js';

export interface ApiServer {
  url: string;
  port: number;
  services: Services;
  close(): Promise<void>;
}

const API_PREFIX = '/api/v1';

function sendJson(res: http.ServerResponse, status: number, body: unknown) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(body));
}

const MAX_BODY_BYTES = 1024 * 1024;

/** The request body as JSON text; rejects with a 400 (not JSON) or 413 (too large) error. */
function readJsonBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error(`request body over ${MAX_BODY_BYTES} bytes`), { status: 413 }));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('error', reject);
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve('{}');
      const type = req.headers['content-type'] ?? '';
      if (type && !/^application\/json\b/i.test(type)) return reject(Object.assign(new Error(`unsupported content-type "${type}": send application/json`), { status: 415 }));
      try {
        JSON.parse(text);
      } catch (err) {
        return reject(new Error(`request body is not valid JSON: ${(err as Error).message}`));
      }
      resolve(text);
    });
  });
}

export async function startServer(opts: { url?: string; port?: number; host?: string; log?: (l: string) => void } = {}): Promise<ApiServer> {
  const url = opts.url ?? databaseUrl();
  const log = opts.log ?? ((l: string) => process.stderr.write(`[api] ${l}\n`));
  const db = createDb(url, { poolSize: 10 });
  const boss = await startBoss(url, 'phaselab-api');
  const events = new JobEvents(url);
  const services: Services = { db, boss, events };
  await syncCatalog(db.prisma);

  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    createContext: ({ req, info }) => createContext(services, req, info.connectionParams),
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') log(`trpc ${path}: ${error.stack ?? error.message}`);
    },
  });
  const rest = createOpenApiHttpHandler({
    router: appRouter,
    createContext: ({ req }) => createContext(services, req as unknown as Request),
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') log(`api ${path}: ${error.stack ?? error.message}`);
    },
  });
  const corsOrigin = process.env.CORS_ORIGIN ?? '*';

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    res.setHeader('Access-Control-Allow-Origin', corsOrigin);
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, trpc-accept, Last-Event-ID');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    if (req.method === 'OPTIONS') {
      res.statusCode = 204;
      return res.end();
    }
    if (path === '/health') {
      db.pool.query('SELECT 1').then(
        () => sendJson(res, 200, { status: 'ok' }),
        (err: Error) => sendJson(res, 503, { status: 'unavailable', error: err.message }),
      );
      return;
    }
    if (path === '/trpc' || path.startsWith('/trpc/')) return trpc(req, res);
    if (path === `${API_PREFIX}/openapi.json`) return sendJson(res, 200, openApiDocument(API_PREFIX));
    if (path.startsWith(`${API_PREFIX}/`)) {
      req.url = req.url!.slice(API_PREFIX.length);
      const handle = () =>
        rest(req, res).catch((err: Error) => {
          log(`api: ${err.stack ?? err.message}`);
          if (!res.headersSent) sendJson(res, 500, { message: 'internal error', code: 'INTERNAL_SERVER_ERROR' });
        });
      if (req.method === 'GET' || req.method === 'HEAD') return void handle();
      readJsonBody(req).then(
        (text) => {
          // trpc-to-openapi reads a pre-read string body as is; an empty body (POST …/cancel) is {}.
          (req as http.IncomingMessage & { body?: string }).body = text;
          req.headers['content-type'] = 'application/json';
          void handle();
        },
        (err: Error & { status?: number }) => sendJson(res, err.status ?? 400, { message: err.message, code: err.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST', data: { fields: ['(body)'] } }),
      );
      return;
    }
    sendJson(res, 404, { message: `no route for ${req.method} ${path}`, code: 'NOT_FOUND' });
  });

  const port = opts.port ?? config.port;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, opts.host ?? '0.0.0.0', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${actual}`;
  log(`listening on ${base} (tRPC ${base}/trpc, REST ${base}${API_PREFIX}, OpenAPI ${base}${API_PREFIX}/openapi.json)`);

  return {
    url: base,
    port: actual,
    services,
    async close() {
      server.closeAllConnections(); // SSE streams would hold close() forever
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await events.close();
      await boss.stop({ graceful: false, timeout: 2000 }).catch(() => {});
      await db.close();
    },
  };
}

if (process.argv[1] && /server\.(ts|mjs|js)$/.test(process.argv[1])) {
  startServer().then(
    (s) => {
      let signals = 0;
      const onSignal = () => {
        if (++signals > 1) process.exit(1);
        s.close().then(() => process.exit(0), () => process.exit(1));
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    },
    (err) => {
      process.stderr.write(`[api] could not start: ${err instanceof Error ? err.stack : err}\n`);
      process.exit(1);
    },
  );
}
