/** Every user-facing failure of packages/gpu: a code a caller can switch on, and a one-line message. */
export type GpuErrorCode =
  | 'invalid_argument'
  | 'connection'
  | 'timeout'
  | 'cancelled'
  | 'query'
  | 'not_a_query'
  | 'fallback'
  | 'load';

export class GpuError extends Error {
  override readonly name = 'GpuError';
  constructor(
    readonly code: GpuErrorCode,
    message: string,
    /** PostgreSQL SQLSTATE when the server raised it. */
    readonly sqlState?: string,
  ) {
    super(message);
  }
}

export const isGpuError = (e: unknown): e is GpuError => e instanceof GpuError;

interface PgErrorLike {
  message: string;
  code?: string;
}

/** A driver or server error as a GpuError (timeouts and cancels get their own codes). */
export function fromPgError(e: unknown, context = ''): GpuError {
  if (e instanceof GpuError) return e;
  const err = e as PgErrorLike;
  const message = err?.message ?? String(e);
  const prefix = context ? `${context}: ` : '';
  if (err?.code === '57014') {
    if (/statement timeout/.test(message)) return new GpuError('timeout', `${prefix}${message}`, err.code);
    return new GpuError('cancelled', `${prefix}${message}`, err.code);
  }
  if (typeof err?.code === 'string' && /^(08|28|3D)/.test(err.code)) return new GpuError('connection', `${prefix}${message}`, err.code);
  const sqlState = typeof err?.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code) ? err.code : undefined;
  if (!sqlState && /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|ECONNRESET|Connection terminated/.test(`${err?.code ?? ''} ${message}`)) {
    return new GpuError('connection', `${prefix}${message || err?.code}`);
  }
  return new GpuError('query', `${prefix}${message}`, sqlState);
}
