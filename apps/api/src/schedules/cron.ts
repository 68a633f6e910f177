/**
 * Cron expressions (5 fields, or 6 with seconds first) through cron-parser, the parser pg-boss uses.
 * Why not pg-boss's own `boss.schedule()`: in pg-boss 10 a cron is tied to one queue name (one queue
 * per schedule, which workers would have to discover and subscribe to) and fires at most once a
 * minute. Our Schedule row stays the one source of truth instead: every worker looks at the enabled
 * rows each second and claims an occurrence with one conditional UPDATE (scheduler.ts), which is
 * durable and fires each occurrence once however many workers run; the jobs it queues go through
 * pg-boss like any other.
 */
import parser from 'cron-parser';

export class CronError extends Error {}

export function validateCron(cron: string, timezone = 'UTC'): void {
  const fields = cron.trim().split(/\s+/).length;
  if (fields < 5 || fields > 6) throw new CronError(`cron: expected 5 fields (min hour day month weekday) or 6 (seconds first), got ${fields}`);
  try {
    parser.parseExpression(cron, { tz: timezone });
  } catch (err) {
    throw new CronError(`cron: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The latest occurrence at or before `now`. */
export function latestOccurrence(cron: string, timezone: string, now: Date): Date {
  // cron-parser's prev() is strictly before currentDate: step 1 ms past now so an occurrence at now counts.
  return parser.parseExpression(cron, { tz: timezone, currentDate: new Date(now.getTime() + 1) }).prev().toDate();
}

export function nextOccurrence(cron: string, timezone: string, now: Date): Date {
  return parser.parseExpression(cron, { tz: timezone, currentDate: now }).next().toDate();
}
