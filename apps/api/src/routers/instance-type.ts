/**
 * The instance catalog (prices as data, with their source and date) and cloud cost: the cost of a run
 * on an instance, and the scenario compare of seed 002 (deployment options × start-up overhead ×
 * runs per month). The catalog is shared by all workspaces, as a price list is.
 */
import type { InstanceType } from '@prisma/client';
import { z } from 'zod';
import { DAILY_RUNS_PER_MONTH, PER_SECOND_BILLING, priceScenario, runCost } from '../analysis/cost.js';
import { median } from '../analysis/stats.js';
import { badRequest, notFound, protectedProcedure, router, type Context } from '../trpc.js';

const InstanceTypeOut = z.object({
  id: z.string(),
  name: z.string(),
  provider: z.string(),
  region: z.string(),
  service: z.string(),
  vcpu: z.number(),
  memoryGiB: z.number(),
  gpu: z.string().nullable(),
  pricePerHour: z.number(),
  source: z.string(),
  sourceDate: z.string(),
  updatedAt: z.string(),
});
const instanceTypeOut = (t: InstanceType): z.infer<typeof InstanceTypeOut> => ({
  id: t.id,
  name: t.name,
  provider: t.provider,
  region: t.region,
  service: t.service,
  vcpu: t.vcpu,
  memoryGiB: t.memoryGiB,
  gpu: t.gpu,
  pricePerHour: Number(t.pricePerHour),
  source: t.source,
  sourceDate: t.sourceDate.toISOString().slice(0, 10),
  updatedAt: t.updatedAt.toISOString(),
});

const Fields = z.object({
  provider: z.string().min(1).max(50).default('aws'),
  region: z.string().min(1).max(50).default('us-east-1'),
  service: z.enum(['ec2', 'emr']).default('ec2'),
  vcpu: z.number().int().positive().max(1024),
  memoryGiB: z.number().positive().max(65536),
  gpu: z.string().max(200).nullable().default(null),
  pricePerHour: z.number().nonnegative().max(10_000),
  source: z.string().min(1, 'say where the price comes from').max(1000),
  sourceDate: z.iso.date(),
});

type Authed = Context & { principal: { workspaceId: string } };

async function byName(ctx: Authed, names: string[]): Promise<Map<string, InstanceType>> {
  const rows = await ctx.db.prisma.instanceType.findMany({ where: { name: { in: names } } });
  const missing = names.filter((n) => !rows.some((r) => r.name === n));
  if (missing.length) throw badRequest(`instanceType: unknown instance type(s) ${missing.map((m) => `"${m}"`).join(', ')} (see GET /instance-types)`);
  return new Map(rows.map((r) => [r.name, r]));
}

export const instanceTypeRouter = router({
  list: protectedProcedure
    .meta({ openapi: { method: 'GET', path: '/instance-types', tags: ['cost'], summary: 'The instance catalog: hourly prices with their source and date', protect: true } })
    .input(z.object({ region: z.string().max(50).optional(), service: z.enum(['ec2', 'emr']).optional() }))
    .output(z.array(InstanceTypeOut))
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.prisma.instanceType.findMany({ where: { ...(input.region ? { region: input.region } : {}), ...(input.service ? { service: input.service } : {}) }, orderBy: [{ region: 'asc' }, { service: 'asc' }, { name: 'asc' }] });
      return rows.map(instanceTypeOut);
    }),

  create: protectedProcedure
    .meta({ openapi: { method: 'POST', path: '/instance-types', tags: ['cost'], summary: 'Add an instance type with its price, source and date', protect: true } })
    .input(Fields.extend({ name: z.string().min(1).max(100) }))
    .output(InstanceTypeOut)
    .mutation(async ({ ctx, input }) => {
      if (await ctx.db.prisma.instanceType.findUnique({ where: { name: input.name } })) throw badRequest(`name: instance type "${input.name}" already exists`);
      const row = await ctx.db.prisma.instanceType.create({ data: { ...input, pricePerHour: input.pricePerHour.toFixed(4), sourceDate: new Date(input.sourceDate) } });
      return instanceTypeOut(row);
    }),

  update: protectedProcedure
    .meta({ openapi: { method: 'PATCH', path: '/instance-types/{id}', tags: ['cost'], summary: 'Edit a price (say where the new figure comes from)', protect: true } })
    .input(Fields.partial().extend({ id: z.uuid() }))
    .output(InstanceTypeOut)
    .mutation(async ({ ctx, input }) => {
      const { id, ...rest } = input;
      if (!(await ctx.db.prisma.instanceType.findUnique({ where: { id } }))) throw notFound('instance type', id);
      if (rest.pricePerHour !== undefined && rest.source === undefined) throw badRequest('source: a new price needs its source');
      const row = await ctx.db.prisma.instanceType.update({
        where: { id },
        data: { ...rest, pricePerHour: rest.pricePerHour?.toFixed(4), sourceDate: rest.sourceDate ? new Date(rest.sourceDate) : undefined },
      });
      return instanceTypeOut(row);
    }),

  delete: protectedProcedure
    .meta({ openapi: { method: 'DELETE', path: '/instance-types/{id}', tags: ['cost'], summary: 'Remove an instance type', protect: true } })
    .input(z.object({ id: z.uuid() }))
    .output(z.object({ id: z.string(), deleted: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const r = await ctx.db.prisma.instanceType.deleteMany({ where: { id: input.id } });
      if (r.count === 0) throw notFound('instance type', input.id);
      return { id: input.id, deleted: true };
    }),
});

const JobTime = z.union([
  z.object({ seconds: z.number().positive().max(30 * 86400) }),
  z.object({ runIds: z.array(z.uuid()).min(1).max(1000) }),
]);

const ScenarioInput = z.object({
  runsPerMonth: z.number().positive().max(1e6).default(DAILY_RUNS_PER_MONTH),
  billing: z.object({ incrementSeconds: z.number().int().positive().max(86400), minimumSeconds: z.number().int().nonnegative().max(86400) }).default(PER_SECOND_BILLING),
  options: z
    .array(
      z.object({
        label: z.string().min(1).max(200),
        /** Seconds billed before the job starts (EMR cluster creation: ~360 in seed 002). */
        startupSeconds: z.number().nonnegative().max(86400).default(0),
        /** The job's own time: entered, or the median of stored runs. */
        job: JobTime,
        nodes: z
          .array(
            z.object({
              instanceType: z.string().min(1).max(100),
              count: z.number().int().positive().max(10_000).default(1),
              role: z.string().max(100).optional(),
              /** Add the EMR charge (instance type "emr:<name>") on top of the EC2 price. */
              emr: z.boolean().default(false),
            }),
          )
          .min(1)
          .max(50),
      }),
    )
    .min(1)
    .max(20),
});

const LineOut = z.object({ label: z.string(), instanceType: z.string(), count: z.number(), pricePerHour: z.number(), perRun: z.number(), monthly: z.number() });

export const costRouter = router({
  scenario: protectedProcedure
    .meta({ openapi: { method: 'POST', path: '/cost/scenario', tags: ['cost'], summary: 'Monthly cost of deployment options (start-up overhead, billing rule, runs per month) from stored runs or entered job times', protect: true } })
    .input(ScenarioInput)
    .output(
      z.object({
        runsPerMonth: z.number(),
        billing: z.object({ incrementSeconds: z.number(), minimumSeconds: z.number() }),
        options: z.array(
          z.object({
            label: z.string(),
            jobSeconds: z.number(),
            jobSource: z.string(),
            startupSeconds: z.number(),
            wallSeconds: z.number(),
            billedSeconds: z.number(),
            lines: z.array(LineOut),
            perRun: z.number(),
            monthly: z.number(),
            monthlyExact: z.number(),
            savingPct: z.number(),
          }),
        ),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const names = input.options.flatMap((o) => o.nodes.flatMap((n) => (n.emr ? [n.instanceType, emrName(n.instanceType)] : [n.instanceType])));
      const types = await byName(ctx, [...new Set(names)]);
      const options = [];
      const sources: string[] = [];
      for (const [i, o] of input.options.entries()) {
        let jobSeconds: number;
        if ('seconds' in o.job) {
          jobSeconds = o.job.seconds;
          sources.push('entered');
        } else {
          const runs = await ctx.db.prisma.run.findMany({ where: { id: { in: o.job.runIds }, workspaceId: ctx.principal.workspaceId }, select: { id: true, wallMs: true } });
          const missing = o.job.runIds.filter((id) => !runs.some((r) => r.id === id));
          if (missing.length) throw badRequest(`options.${i}.job.runIds: run(s) ${missing.join(', ')} not found in this workspace`);
          jobSeconds = median(runs.map((r) => r.wallMs)) / 1000;
          sources.push(`median of ${runs.length} stored run(s)`);
        }
        const nodes = o.nodes.flatMap((n) => {
          const role = n.role ? ` (${n.role})` : '';
          const ec2 = types.get(n.instanceType)!;
          const lines = [{ label: `EC2 ${ec2.name}${role}`, instanceType: ec2.name, count: n.count, pricePerHour: Number(ec2.pricePerHour) }];
          if (n.emr) {
            const emr = types.get(emrName(n.instanceType))!;
            lines.unshift({ label: `EMR ${ec2.name}${role}`, instanceType: emr.name, count: n.count, pricePerHour: Number(emr.pricePerHour) });
          }
          return lines;
        });
        options.push({ label: o.label, nodes, jobSeconds, startupSeconds: o.startupSeconds });
      }
      const priced = priceScenario(options, input.runsPerMonth, input.billing);
      return { runsPerMonth: input.runsPerMonth, billing: input.billing, options: priced.map((p, i) => ({ ...p, jobSource: sources[i] })) };
    }),

  run: protectedProcedure
    .meta({ openapi: { method: 'GET', path: '/cost/runs/{id}', tags: ['cost'], summary: 'What a stored run costs on an instance type: wall time × hourly price', protect: true } })
    .input(z.object({ id: z.uuid(), instanceType: z.string().min(1).max(100), count: z.coerce.number().int().positive().max(10_000).default(1) }))
    .output(z.object({ runId: z.string(), wallMs: z.number(), instanceType: z.string(), pricePerHour: z.number(), count: z.number(), cost: z.number(), source: z.string(), sourceDate: z.string() }))
    .query(async ({ ctx, input }) => {
      const run = await ctx.db.prisma.run.findFirst({ where: { id: input.id, workspaceId: ctx.principal.workspaceId }, select: { id: true, wallMs: true } });
      if (!run) throw notFound('run', input.id);
      const t = (await byName(ctx, [input.instanceType])).get(input.instanceType)!;
      const price = Number(t.pricePerHour);
      return { runId: run.id, wallMs: run.wallMs, instanceType: t.name, pricePerHour: price, count: input.count, cost: runCost(run.wallMs / 1000, price, input.count), source: t.source, sourceDate: t.sourceDate.toISOString().slice(0, 10) };
    }),
});

/** "m5.xlarge@ap-northeast-2" → "emr:m5.xlarge@ap-northeast-2": the EMR charge row of an EC2 type. */
const emrName = (ec2: string) => `emr:${ec2}`;
