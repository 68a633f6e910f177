/**
 * (Not named seed.ts: apps/api/src/seed.ts runs its CLI when argv[1] ends in seed.ts.)
 * Prepares a fresh e2e database: migrations, the workload catalog, workspace `e2e` with a new API
 * key and a small `sales` dataset (generated once into the OS temp folder and reused). Unlike
 * apps/api's seed it writes no .data/demo-api-key, so a running `npm start` keeps its key.
 *
 *   DATABASE_URL=… tsx e2e/stack/prepare-db.ts --rows N --dir DIR    → stdout: {"apiKey": "plk_…"}
 */
import { createApiKey } from '../../apps/api/src/auth.js';
import { syncCatalog } from '../../apps/api/src/catalog.js';
import { createDb } from '../../apps/api/src/db/client.js';
import { migrate } from '../../apps/api/src/db/migrate.js';
import { ensureGenerated, registerDataset } from '../../apps/api/src/seed.js';

function arg(name: string): string {
  const i = process.argv.indexOf(name);
  if (i < 0 || !process.argv[i + 1]) throw new Error(`missing ${name}`);
  return process.argv[i + 1];
}

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const rows = Number(arg('--rows'));
  const dir = arg('--dir');
  await migrate(url, { log: () => {} });
  const db = createDb(url);
  try {
    await syncCatalog(db.prisma);
    const ws = await db.prisma.workspace.create({ data: { slug: 'e2e', name: 'E2E' } });
    const apiKey = await createApiKey(db.prisma, ws.id, 'e2e');
    const manifest = await ensureGenerated('sales', rows, dir, (l) => process.stderr.write(`[e2e seed] ${l}\n`));
    await registerDataset(db.prisma, ws.id, 'sales', dir, manifest);
    process.stdout.write(`${JSON.stringify({ apiKey, workspaceId: ws.id })}\n`);
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  process.stderr.write(`[e2e seed] ${err instanceof Error ? err.stack : err}\n`);
  process.exit(1);
});
