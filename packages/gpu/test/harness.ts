/** A fresh database per test file (dropped at the end, with the read-only roles made in it). */
import crypto from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { dropReadOnlyRole } from '../src/run/role.js';

export interface TestDb {
  url: string;
  name: string;
  admin: pg.Client;
  /** Records a schema whose read-only role must be dropped at the end. */
  schema(name: string): string;
  drop(): Promise<void>;
}

export function urlFor(base: string, db: string): string {
  const u = new URL(base);
  u.pathname = `/${db}`;
  return u.toString();
}

export async function createTestDb(): Promise<TestDb> {
  const base = inject('databaseUrl');
  const name = `phaselab_gpu_test_${crypto.randomBytes(4).toString('hex')}`;
  const root = new pg.Client({ connectionString: base });
  await root.connect();
  await root.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
  await root.end();
  const url = urlFor(base, name);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const schemas: string[] = [];
  return {
    url,
    name,
    admin,
    schema(s) {
      schemas.push(s);
      return s;
    },
    async drop() {
      for (const s of schemas) await dropReadOnlyRole(admin, s).catch(() => {});
      await admin.end();
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A schema name unique to this process (roles are cluster-wide, so names must not collide). */
export function uniqueSchema(prefix: string): string {
  return `${prefix}_${crypto.randomBytes(3).toString('hex')}`;
}
