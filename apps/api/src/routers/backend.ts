/**
 * The PostgreSQL / PG-Strom target of the `postgres` and `pgstrom` job backends, probed by
 * @phaselab/gpu: server version, PG-Strom (preloaded, created, version, and the reason when it is
 * not active), GPUs, Arrow_fdw, nvidia-smi, and the relevant settings. The target is the one the
 * backends run on (jobs/backends/postgres.ts targetOf): PGSTROM_URL, else the platform's own
 * PostgreSQL. The URL comes back with its password replaced by ***; nothing else in it can hold one.
 */
import { probe, redactUrl } from '@phaselab/gpu';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { targetOf } from '../jobs/backends/postgres.js';
import { protectedProcedure, router } from '../trpc.js';

const ProbeOut = z.object({
  target: z.object({
    /** Redacted (password → ***). */
    url: z.string(),
    /** Which setting chose it: PGSTROM_URL, or DATABASE_URL (the platform's own PostgreSQL). */
    source: z.enum(['PGSTROM_URL', 'DATABASE_URL']),
    backends: z.array(z.string()),
  }),
  probedAt: z.string(),
  server: z.object({ version: z.string(), versionNum: z.number(), versionString: z.string() }),
  database: z.string(),
  currentUser: z.string(),
  superuser: z.boolean(),
  sharedPreloadLibraries: z.string().nullable(),
  pgStrom: z.object({
    installed: z.boolean(),
    preloaded: z.boolean(),
    extensionInstalled: z.boolean(),
    extensionVersion: z.string().nullable(),
    availableToCreate: z.boolean(),
    githash: z.string().nullable(),
    settingsPresent: z.boolean(),
    reason: z.string(),
  }),
  gpus: z.object({
    available: z.boolean(),
    count: z.number(),
    devices: z.array(z.object({ id: z.number(), name: z.string().nullable(), attributes: z.record(z.string(), z.string().nullable()) })),
    reason: z.string().optional(),
  }),
  arrowFdw: z.object({ available: z.boolean(), foreignServer: z.boolean(), reason: z.string().optional() }),
  settings: z.record(z.string(), z.string().nullable()),
  monitor: z.object({ available: z.boolean(), host: z.string(), reason: z.string().optional(), gpus: z.array(z.string()).optional() }),
});

export const backendRouter = router({
  probe: protectedProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/backends/probe',
        tags: ['backends'],
        summary: 'Probe the PostgreSQL server of the postgres/pgstrom backends: version, PG-Strom (with the reason when absent), GPUs, Arrow_fdw, nvidia-smi, settings',
        protect: true,
      },
    })
    .input(z.object({}))
    .output(ProbeOut)
    .query(async ({ ctx }) => {
      const target = targetOf(ctx.db.url);
      try {
        const { url: _redacted, ...p } = await probe(target.url);
        return { ...p, target: { url: redactUrl(target.url), source: target.source, backends: ['postgres', 'pgstrom'] } };
      } catch (e) {
        // connect errors already name the server by its redacted URL; say which one either way
        const shown = redactUrl(target.url);
        const msg = (e as Error).message.split(target.url).join(shown);
        throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: msg.includes(shown) ? `probe (${target.source}) failed: ${msg}` : `probe of ${shown} (${target.source}) failed: ${msg}` });
      }
    }),
});
