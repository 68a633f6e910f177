/** API keys: `plk_` + 32 random base62 characters; the store keeps only a sha256 and a short prefix. */
import crypto from 'node:crypto';
import type { PrismaClient } from '@prisma/client';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export const hashKey = (key: string): string => crypto.createHash('sha256').update(key).digest('hex');

export function generateKey(): { key: string; prefix: string; keyHash: string } {
  const bytes = crypto.randomBytes(32);
  let body = '';
  for (const b of bytes) body += ALPHABET[b % ALPHABET.length];
  const key = `plk_${body}`;
  return { key, prefix: key.slice(0, 12), keyHash: hashKey(key) };
}

export async function createApiKey(prisma: PrismaClient, workspaceId: string, name = 'default'): Promise<string> {
  const { key, prefix, keyHash } = generateKey();
  await prisma.apiKey.create({ data: { workspaceId, name, prefix, keyHash } });
  return key;
}

/** The bearer token of an Authorization header, or null. */
export function bearer(header: string | string[] | undefined): string | null {
  const h = Array.isArray(header) ? header[0] : header;
  const m = h?.match(/^Bearer\s+(\S+)\s*$/i);
  return m ? m[1] : null;
}

export interface Principal {
  workspaceId: string;
  apiKeyId: string;
}

const lastTouched = new Map<string, number>();

export async function authenticate(prisma: PrismaClient, key: string | null): Promise<Principal | null> {
  if (!key || !key.startsWith('plk_') || key.length > 200) return null;
  const row = await prisma.apiKey.findUnique({ where: { keyHash: hashKey(key) }, select: { id: true, workspaceId: true, revokedAt: true } });
  if (!row || row.revokedAt) return null;
  // last_used_at at most once a minute per key: a write per request would be waste.
  const now = Date.now();
  if ((lastTouched.get(row.id) ?? 0) < now - 60_000) {
    lastTouched.set(row.id, now);
    prisma.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => {});
  }
  return { workspaceId: row.workspaceId, apiKeyId: row.id };
}
