/**
 * The store: one Prisma client (reads, run records) and one pg pool (job state transitions that
 * must share a transaction with the pg-boss queue, LISTEN/NOTIFY). Everything else imports from here.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@prisma/client';
import pg from 'pg';

export type { PrismaClient };

export interface Db {
  prisma: PrismaClient;
  pool: pg.Pool;
  url: string;
  close(): Promise<void>;
}

export function createDb(url: string, { poolSize = 5 }: { poolSize?: number } = {}): Db {
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: poolSize }) });
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', (err) => process.stderr.write(`[db] idle client error: ${err.message}\n`));
  return {
    prisma,
    pool,
    url,
    async close() {
      await Promise.allSettled([prisma.$disconnect(), pool.end()]);
    },
  };
}

/** Runs fn in a transaction on one pooled client. */
export async function transaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
