// The CLI contract other tools rely on: `npm run --silent sql -- [--table NAME=PATH]... [--format …] "SQL"`.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const run = promisify(execFile);
let dir = '';

async function sql(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['scripts/run.mjs', 'packages/engine/src/cli/sql.ts', ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phaselab-cli-'));
  fs.writeFileSync(
    path.join(dir, 'orders.csv'),
    ['id,customer,amount,ordered_on,note', '1,ann,12.50,2024-01-31,"hello, world"', '2,bob,7.25,2024-02-01,', '3,ann,0.05,2024-02-29,"say ""hi"""'].join('\n') + '\n',
  );
  fs.writeFileSync(path.join(dir, 'broken.parquet'), 'PAR1 this is not parquet PAR1');
}, 60_000);

describe('sql CLI', () => {
  it('prints RFC 4180 CSV with exact decimals, ISO dates and NULL as an empty field', async () => {
    const r = await sql('--table', `orders=${dir}/orders.csv`, '--format', 'csv', 'SELECT id, customer, amount * 2 AS doubled, ordered_on + 1 AS next_day, note FROM orders ORDER BY id');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(['id,customer,doubled,next_day,note', '1,ann,25.00,2024-02-01,"hello, world"', '2,bob,14.50,2024-02-02,', '3,ann,0.10,2024-03-01,"say ""hi"""', ''].join('\n'));
  });

  it('prints JSON rows keyed by column name', async () => {
    const r = await sql('--table', `orders=${dir}/orders.csv`, '--format', 'json', 'SELECT customer, sum(amount) AS total FROM orders GROUP BY customer ORDER BY customer');
    expect(JSON.parse(r.stdout)).toEqual([{ customer: 'ann', total: 12.55 }, { customer: 'bob', total: 7.25 }]);
  });

  it('prints an aligned table by default', async () => {
    const r = await sql('--table', `orders=${dir}/orders.csv`, 'SELECT count(*) AS n FROM orders');
    expect(r.stdout).toMatch(/^ n\s*\n-+\n +3\n\(1 row\)\n$/);
  });

  it('explains and analyzes', async () => {
    const e = await sql('--table', `orders=${dir}/orders.csv`, '--explain', 'SELECT customer, count(*) FROM orders GROUP BY 1');
    expect(e.stdout).toMatch(/Aggregate: groupBy/);
    expect(e.stdout).toMatch(/CsvScanExec/);
    const a = await sql('--table', `orders=${dir}/orders.csv`, '--analyze', 'SELECT customer, count(*) FROM orders GROUP BY 1');
    expect(a.stdout).toMatch(/HashAggregateExec.*output_rows=2/);
  });

  const errorCases: [string, string[], RegExp][] = [
    ['unknown column, with its position', ['--table', 'orders=ORDERS', 'SELECT nope FROM orders'], /^error: column "nope" does not exist \(at line 1, column 8\)\n$/],
    ['syntax error', ['SELECT FROM WHERE'], /^error: syntax error at or near "WHERE"/],
    ['unknown table', ['SELECT * FROM missing'], /^error: relation "missing" does not exist/],
    ['division by zero', ['SELECT 1 / 0'], /^error: division by zero\n$/],
    ['missing file', ['--table', 't=/nonexistent/x.parquet', 'SELECT 1'], /^error: file "\/nonexistent\/x.parquet" does not exist\n$/],
    ['corrupt Parquet names the file', ['--table', 't=BROKEN', 'SELECT * FROM t'], /^error: file ".*broken.parquet" is not valid Parquet/],
    ['bad --table', ['--table', 'oops', 'SELECT 1'], /^error: --table expects NAME=PATH/],
  ];
  for (const [name, args, expected] of errorCases) {
    it(`fails with exit 1 and one error line: ${name}`, async () => {
      const r = await sql(...args.map((a) => a.replace('ORDERS', `${dir}/orders.csv`).replace('BROKEN', `${dir}/broken.parquet`)));
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(expected);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  }
});
