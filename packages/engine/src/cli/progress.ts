import type { ProgressInfo } from '../physical/operator.js';

/**
 * One self-rewriting stderr line for long queries. Silent when stderr is not a terminal or in CI,
 * so piped output and CI logs stay clean; appears only after the first half second.
 */
export class ProgressLine {
  private readonly enabled = !!process.stderr.isTTY && !process.env.CI;
  private readonly started = performance.now();
  private shown = false;

  update(p: ProgressInfo): void {
    if (!this.enabled || performance.now() - this.started < 500) return;
    const pct = p.totalRows ? Math.min(1, p.rowsRead / p.totalRows) : null;
    const width = 30;
    const bar = pct === null ? '' : `[${'#'.repeat(Math.round(pct * width)).padEnd(width, '.')}] ${(pct * 100).toFixed(0).padStart(3)}% `;
    const secs = ((performance.now() - this.started) / 1000).toFixed(1);
    process.stderr.write(`\r${bar}${p.rowsRead.toLocaleString('en-US')} rows, ${(p.bytesRead / 1048576).toFixed(1)} MiB, ${secs}s`);
    this.shown = true;
  }

  done(): void {
    if (this.shown) process.stderr.write('\r\x1b[K');
    this.shown = false;
  }
}
