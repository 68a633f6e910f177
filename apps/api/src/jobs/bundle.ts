/**
 * Child process entry points as esbuild bundles (the job runner, the dataset generator), built once
 * per process that forks them.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from '../env.js';

// Packages that load WebAssembly or native code relative to their own files stay external.
const EXTERNAL = ['parquet-wasm', 'libpg-query', '@duckdb/node-api', 'nodejs-polars', 'pg', 'pg-copy-streams', 'pg-native', 'esbuild', '@prisma/*', '.prisma/*'];

export interface ChildEntry {
  file: string;
  execArgv: string[];
}

const bundles = new Map<string, Promise<ChildEntry>>();

/**
 * A child process entry point: an esbuild bundle of `apps/api/src/<source>` (starts in ~0.3 s; tsx
 * would add ~1.5 s per child), rebuilt once per worker process. Falls back to tsx when esbuild is missing.
 */
export function prepareBundle(source: string, outName: string): Promise<ChildEntry> {
  let entry = bundles.get(source);
  if (entry) return entry;
  entry = (async () => {
    const root = repoRoot();
    const sourceFile = path.join(root, 'apps', 'api', 'src', source);
    try {
      const { build } = await import('esbuild');
      const out = path.join(root, '.cache', 'bin', outName);
      const tmp = `${out}.${process.pid}.tmp`;
      fs.mkdirSync(path.dirname(out), { recursive: true });
      await build({
        entryPoints: [sourceFile],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        outfile: tmp,
        external: EXTERNAL,
        logLevel: 'warning',
        banner: { js: "import { createRequire as __phaselabCreateRequire } from 'node:module'; const require = __phaselabCreateRequire(import.meta.url);" },
      });
      fs.renameSync(tmp, out); // atomic: workers starting together each write the same bundle
      copyWorkerEntries([path.join(root, 'packages'), path.join(root, 'apps')], path.dirname(out));
      return { file: out, execArgv: [] };
    } catch (err) {
      process.stderr.write(`[worker] esbuild bundle of ${source} failed (${err instanceof Error ? err.message : err}); using tsx\n`);
      const require = createRequire(import.meta.url);
      return { file: sourceFile, execArgv: ['--import', require.resolve('tsx')] };
    }
  })();
  bundles.set(source, entry);
  return entry;
}

/** The job runner's entry (runner-child.ts). */
export const prepareRunner = (): Promise<ChildEntry> => prepareBundle('jobs/runner-child.ts', 'api-job-runner.mjs');

/**
 * Worker threads start from their own file (`new URL('./parquet-worker.mjs', import.meta.url)`), which
 * a bundle cannot inline: copy every `*-worker.mjs` beside the bundle (as scripts/run.mjs does).
 */
function copyWorkerEntries(roots: string[], outDir: string): void {
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('-worker.mjs')) {
        const tmp = path.join(outDir, `${entry.name}.${process.pid}.tmp`);
        fs.copyFileSync(p, tmp);
        fs.renameSync(tmp, path.join(outDir, entry.name));
      }
    }
  };
  roots.filter((r) => fs.existsSync(r)).forEach(walk);
}
