/**
 * Seeds a demo: workspace `demo`, an API key (printed as `API key: <key>`; kept in
 * .data/demo-api-key so restarts reuse it), the workload catalog, a `sales` dataset (~100k rows of
 * Parquet from packages/workloads under <dataDir>/demo/sales/), a few instance types and cost
 * models, and — the first time — one real run per sales phase (the engine in a child process, as a
 * worker runs a job; recorded with source "seed").
 *
 *   node scripts/run.mjs apps/api/src/seed.ts [--rows N]      (npm run db:seed)
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PrismaClient } from '@prisma/client';
import { generateDataset, type Manifest } from '@phaselab/workloads';
import { authenticate, createApiKey } from './auth.js';
import { CATALOG, syncCatalog } from './catalog.js';
import { storedDirectory } from './datasets/store.js';
import { createDb, transaction } from './db/client.js';
import { config, databaseUrl, repoRoot } from './env.js';
import { executeJob, prepareRunner } from './jobs/execute.js';
import { insertRun, machineInfo } from './jobs/record.js';
import type { ClaimedJob } from './jobs/store.js';

/** Registers (or refreshes) a dataset row from a generator manifest. */
export async function registerDataset(prisma: PrismaClient, workspaceId: string, name: string, dir: string, manifest: Manifest) {
  const directory = storedDirectory(dir);
  const tables = manifest.tables.map((t) => ({ name: t.name, file: t.file, rows: t.rows, columns: t.columns }));
  const data = { generator: manifest.dataset, seed: manifest.seed, rows: BigInt(manifest.rows), format: manifest.format, directory, tables, status: 'ready' as const };
  return prisma.dataset.upsert({
    where: { workspaceId_name: { workspaceId, name } },
    create: { workspaceId, name, ...data },
    update: data,
  });
}

/** Generates a dataset with packages/workloads unless dir already holds one of that size. */
export async function ensureGenerated(generator: string, rows: number, dir: string, log: (l: string) => void): Promise<Manifest> {
  const manifestFile = path.join(dir, 'manifest.json');
  if (fs.existsSync(manifestFile)) {
    const m = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
    if (m.dataset === generator && m.rows === rows && m.tables.every((t) => fs.existsSync(path.join(dir, t.file)))) return m;
  }
  log(`generating ${generator} (${rows} rows) into ${dir}`);
  return generateDataset({ dataset: generator, rows, outDir: dir });
}

const INSTANCE_TYPES = [
  // On-demand Linux prices, us-east-1, as listed on the AWS pricing page; not re-read offline.
  { name: 'm5.xlarge', vcpu: 4, memoryGiB: 16, gpu: null, pricePerHour: '0.1920' },
  { name: 'r5.xlarge', vcpu: 4, memoryGiB: 32, gpu: null, pricePerHour: '0.2520' },
  { name: 'g6e.xlarge', vcpu: 4, memoryGiB: 32, gpu: 'NVIDIA L40S 48 GB', pricePerHour: '1.8610' },
];

export interface SeedResult {
  workspaceId: string;
  apiKey: string;
  datasetId: string;
  recordedRuns: number;
}

export async function seed(opts: { url?: string; rows?: number; dataDir?: string; recordRuns?: boolean; log?: (l: string) => void } = {}): Promise<SeedResult> {
  const url = opts.url ?? databaseUrl();
  const log = opts.log ?? ((l: string) => process.stderr.write(`[seed] ${l}\n`));
  const db = createDb(url);
  const { prisma } = db;
  try {
    const ws = await prisma.workspace.upsert({ where: { slug: 'demo' }, create: { slug: 'demo', name: 'Demo' }, update: {} });

    const keyFile = path.join(repoRoot(), '.data', 'demo-api-key');
    let apiKey = process.env.PHASELAB_API_KEY ?? (fs.existsSync(keyFile) ? fs.readFileSync(keyFile, 'utf8').trim() : '');
    const principal = await authenticate(prisma, apiKey || null);
    if (!principal || principal.workspaceId !== ws.id) {
      apiKey = await createApiKey(prisma, ws.id, 'demo');
      fs.mkdirSync(path.dirname(keyFile), { recursive: true });
      fs.writeFileSync(keyFile, `${apiKey}\n`, { mode: 0o600 });
    }

    await syncCatalog(prisma);
    for (const it of INSTANCE_TYPES) {
      const data = { ...it, provider: 'aws', source: 'https://aws.amazon.com/ec2/pricing/on-demand/ (us-east-1, Linux)', sourceDate: new Date('2026-11-01') };
      await prisma.instanceType.upsert({ where: { name: it.name }, create: data, update: data });
    }
    const models = [
      { name: 'spark-seed-001', kind: 'linear', description: 'Seed 001: Spark on one node, time = 100 s + 0.00008 s × records', params: { fixedMs: 100_000, perRowMs: 0.08 } },
      { name: 'instance-hours', kind: 'instance-hours', description: 'Cost = wall time × the instance type’s hourly price', params: { instanceType: 'm5.xlarge' } },
    ];
    for (const m of models) {
      const existing = await prisma.costModel.findFirst({ where: { workspaceId: null, name: m.name } });
      if (existing) await prisma.costModel.update({ where: { id: existing.id }, data: m });
      else await prisma.costModel.create({ data: m });
    }

    const rows = opts.rows ?? 100_000;
    const dir = path.join(opts.dataDir ?? config.dataDir, ws.slug, 'sales');
    const manifest = await ensureGenerated('sales', rows, dir, log);
    const dataset = await registerDataset(prisma, ws.id, 'sales', dir, manifest);

    // Real runs for the dashboard: every sales phase once through the engine, as a worker runs it
    // (child process, same metrics), the first time only.
    let recordedRuns = 0;
    if (opts.recordRuns !== false && (await prisma.run.count({ where: { workspaceId: ws.id } })) === 0) {
      const workload = await prisma.workload.findUniqueOrThrow({ where: { catalogKey: 'sales-aggregation' }, include: { phases: { orderBy: { order: 'asc' } } } });
      const tables = manifest.tables.map((t) => ({ name: t.name, path: path.resolve(dir, t.file) }));
      await prepareRunner();
      for (const p of workload.phases) {
        const sql = p.sql ?? CATALOG[0].phases[p.order - 1].sql;
        const outcome = await executeJob({
          request: { sql, tables, memoryLimitBytes: config.jobMemoryLimitBytes, previewRows: 100 },
          timeoutMs: config.jobTimeoutMs,
          memoryLimitBytes: config.jobMemoryLimitBytes,
        });
        if (outcome.kind !== 'succeeded') {
          log(`phase ${p.order} (${p.name}) did not run: ${outcome.kind === 'failed' ? outcome.error : 'cancelled'}`);
          continue;
        }
        const r = outcome.result;
        const pseudoJob = { id: null, workspace_id: ws.id, backend: 'engine', sql, dataset_id: dataset.id, phase_id: p.id } as unknown as ClaimedJob;
        await transaction(db.pool, (client) =>
          insertRun(client, pseudoJob, { id: dataset.id, rows: String(manifest.rows) }, r, machineInfo({ source: 'seed', processMaxRssBytes: r.processMaxRssBytes }), { source: 'seed' }),
        );
        recordedRuns++;
        log(`phase ${p.order} (${p.name}): ${r.wallMs.toFixed(0)} ms, ${r.resultRows} rows`);
      }
      log(`recorded ${recordedRuns} runs (one per sales-aggregation phase)`);
    }
    return { workspaceId: ws.id, apiKey, datasetId: dataset.id, recordedRuns };
  } finally {
    await db.close();
  }
}

if (process.argv[1] && /seed\.(ts|mjs|js)$/.test(process.argv[1])) {
  const i = process.argv.indexOf('--rows');
  const rows = i > 0 ? Number(process.argv[i + 1]) : undefined;
  seed({ rows }).then(
    (r) => {
      process.stdout.write(`workspace: demo (${r.workspaceId})\nAPI key: ${r.apiKey}\n`);
    },
    (err) => {
      process.stderr.write(`error: ${err instanceof Error ? err.stack : err}\n`);
      process.exit(1);
    },
  );
}
