import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SessionContext } from '@phaselab/engine';
import type { Manifest } from '../src/index.js';

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `workloads-${prefix}-`));
}

export function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

export function readManifest(dir: string): Manifest {
  return JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
}

/** A session with every table of a generated dataset registered under its name. */
export async function sessionFor(dir: string): Promise<SessionContext> {
  const m = readManifest(dir);
  const ctx = new SessionContext();
  for (const t of m.tables) await ctx.registerFile(t.name, path.join(dir, t.file));
  return ctx;
}

export async function rowsOf(ctx: SessionContext, sql: string): Promise<(string | null)[][]> {
  return (await (await ctx.sql(sql)).collectText()).rows;
}

export async function scalar(ctx: SessionContext, sql: string): Promise<string | null> {
  return (await rowsOf(ctx, sql))[0][0];
}
