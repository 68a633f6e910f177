import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readManifest, tmpDir } from './helpers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CLI = path.join(ROOT, 'packages/workloads/src/cli/datagen.ts');

function datagen(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('datagen CLI', () => {
  it('writes the tables and manifest.json', () => {
    const dir = tmpDir('cli');
    try {
      const r = datagen('--dataset', 'sales', '--rows', '2k', '--out', dir, '--seed', '5', '--format', 'csv');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const m = readManifest(dir);
      expect(m).toMatchObject({ dataset: 'sales', seed: 5, format: 'csv', rows: 2000 });
      expect(m.tables[0]).toMatchObject({ name: 'l40s_sales_large', file: 'l40s_sales_large.csv', rows: 2000 });
      const lines = fs.readFileSync(path.join(dir, 'l40s_sales_large.csv'), 'utf8').trimEnd().split('\n');
      expect(lines[0]).toBe('id,category,region,amount,order_date,partition_key');
      expect(lines.length).toBe(2001);
      expect(lines[7].startsWith('7,category_7,region_7,')).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('errors: exit 1 with one `error:` line', () => {
    for (const args of [
      ['--dataset', 'nope', '--rows', '10', '--out', '/tmp/x'],
      ['--dataset', 'sales', '--out', '/tmp/x'],
      ['--dataset', 'sales', '--rows', 'ten', '--out', '/tmp/x'],
      ['--dataset', 'sales', '--rows', '10', '--out', '/tmp/x', '--format', 'xlsx'],
      ['--dataset', 'finance', '--rows', '10', '--out', '/tmp/x', '--dirt', 'lots'],
      ['--bogus'],
    ]) {
      const r = datagen(...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(/^error: [^\n]+\n$/);
    }
  });
});
