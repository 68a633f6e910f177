/**
 * tRPC setup, once: context (store, queue, the caller's workspace from `Authorization: Bearer`),
 * error shape (validation errors name their fields), and the procedure builders every router uses.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import type { IncomingMessage } from 'node:http';
import type PgBoss from 'pg-boss';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { ZodError } from 'zod';
import { authenticate, bearer, type Principal } from './auth.js';
import type { Db } from './db/client.js';
import type { JobEvents } from './job-events.js';

export interface Services {
  db: Db;
  boss: PgBoss;
  events: JobEvents;
}

export interface Context extends Services {
  principal: Principal | null;
}

/** The Authorization header of a Node request or of a Fetch Request (trpc-to-openapi's standalone adapter passes one). */
function authorizationOf(req: IncomingMessage | Request): string | undefined {
  const h = req.headers as IncomingMessage['headers'] | Headers;
  return typeof (h as Headers).get === 'function' ? ((h as Headers).get('authorization') ?? undefined) : (h as IncomingMessage['headers']).authorization;
}

export async function createContext(services: Services, req: IncomingMessage | Request, connectionParams?: Record<string, string | undefined> | null): Promise<Context> {
  // EventSource cannot send headers: tRPC's httpSubscriptionLink passes the key as connectionParams.token.
  const key = bearer(authorizationOf(req)) ?? connectionParams?.token ?? null;
  return { ...services, principal: await authenticate(services.db.prisma, key) };
}

/** "sql: Required; backend: Invalid option" — what a 400 says, naming each bad field. */
export function describeIssues(error: ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`).join('; ');
}

const t = initTRPC
  .context<Context>()
  .meta<OpenApiMeta>()
  .create({
    isDev: false, // no stack traces in responses
    errorFormatter({ shape, error }) {
      const zod = error.cause instanceof ZodError ? error.cause : null;
      const field = error.cause instanceof FieldError ? error.cause.field : null;
      return {
        ...shape,
        message: zod ? `invalid input: ${describeIssues(zod)}` : shape.message,
        data: { ...shape.data, fields: zod ? zod.issues.map((i) => i.path.join('.')) : field ? [field] : undefined },
      };
    },
  });

export const router = t.router;
export const publicProcedure = t.procedure;

export const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.principal) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'missing or invalid API key (Authorization: Bearer <key>)' });
  return next({ ctx: { ...ctx, principal: ctx.principal } });
});

/** Bad input found after parsing (a name that does not resolve, an inconsistent tree): a 400 naming the field. */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
export const badField = (err: FieldError) => new TRPCError({ code: 'BAD_REQUEST', message: err.message, cause: err });

export const notFound = (what: string, id: string) => new TRPCError({ code: 'NOT_FOUND', message: `${what} ${id} not found` });
export const badRequest = (message: string) => new TRPCError({ code: 'BAD_REQUEST', message });
