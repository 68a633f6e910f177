#!/usr/bin/env node
// Runs a TypeScript entry point of the monorepo as a cached esbuild bundle: `node scripts/run.mjs
// packages/engine/src/cli/sql.ts ARGS...`. Rebuilt only when a source under packages/ or apps/ is
// newer than the bundle. Why not tsx: the CLIs are called by other tools per query, and tsx's
// on-the-fly transform costs ~1.5 s per start where the bundle starts in ~0.4 s.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Packages that load WebAssembly or native code relative to their own files stay external.
const EXTERNAL = ['parquet-wasm', 'libpg-query', '@duckdb/node-api', 'nodejs-polars', 'pg', 'pg-copy-streams', 'pg-native', 'esbuild', '@prisma/*', '.prisma/*'];

function newestSourceMtime(dir, newest = 0) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name === '.next' || entry.name.startsWith('.')) continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = newestSourceMtime(p, newest);
    else if (/\.(ts|mts|js|mjs|json)$/.test(entry.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

async function ensureBundle(entry) {
  const rel = path.relative(ROOT, path.resolve(entry));
  const out = path.join(ROOT, '.cache', 'bin', rel.replace(/[\\/]/g, '__').replace(/\.[cm]?ts$/, '.mjs'));
  const built = fs.existsSync(out) ? fs.statSync(out).mtimeMs : 0;
  const roots = ['packages', 'apps'].map((d) => path.join(ROOT, d)).filter((d) => fs.existsSync(d));
  const newest = roots.reduce((m, d) => newestSourceMtime(d, m), 0);
  if (built > newest) return out;
  const { build } = await import('esbuild');
  const tmp = `${out}.${process.pid}.tmp`;
  await build({
    entryPoints: [path.join(ROOT, rel)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: tmp,
    external: EXTERNAL,
    sourcemap: 'inline',
    logLevel: 'warning',
    // CommonJS dependencies bundled into ESM need a require().
    banner: { js: "import { createRequire as __phaselabCreateRequire } from 'node:module'; const require = __phaselabCreateRequire(import.meta.url);" },
  });
  fs.renameSync(tmp, out);
  copyWorkerEntries(roots, path.dirname(out));
  return out;
}

// Worker threads are started from their own file (`new URL('./x-worker.mjs', import.meta.url)`),
// which a bundle cannot inline: copy every `*-worker.mjs` beside the bundles.
function copyWorkerEntries(roots, outDir) {
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('-worker.mjs')) fs.copyFileSync(p, path.join(outDir, entry.name));
    }
  };
  roots.forEach(walk);
}

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: node scripts/run.mjs ENTRY.ts [ARGS...]\n');
  process.exit(2);
}
const bundle = await ensureBundle(entry);
process.argv = [process.argv[0], bundle, ...args];
await import(pathToFileURL(bundle).href);
