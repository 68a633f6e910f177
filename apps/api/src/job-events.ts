/** Job events for the API's SSE subscribers: one LISTEN connection, fanned out by job id. */
import { JOB_CHANNEL, Listener, type JobEvent } from './queue/notify.js';

export class JobEvents {
  private listener: Listener | null = null;
  private readonly subscribers = new Map<string, Set<(e: JobEvent | 'reconnected') => void>>();

  constructor(private readonly url: string) {}

  /** Resolves once LISTEN is active, so an event published after it is not missed. */
  async subscribe(jobId: string, cb: (e: JobEvent | 'reconnected') => void): Promise<() => void> {
    if (!this.listener) {
      const l = new Listener(this.url, [JOB_CHANNEL]);
      l.on(JOB_CHANNEL, (payload: string) => {
        let e: JobEvent;
        try {
          e = JSON.parse(payload) as JobEvent;
        } catch {
          return;
        }
        for (const fn of this.subscribers.get(e.id) ?? []) fn(e);
      });
      l.on('reconnected', () => {
        for (const set of this.subscribers.values()) for (const fn of set) fn('reconnected');
      });
      this.listener = l;
    }
    await this.listener.start();
    let set = this.subscribers.get(jobId);
    if (!set) this.subscribers.set(jobId, (set = new Set()));
    set.add(cb);
    return () => {
      set.delete(cb);
      if (set.size === 0) this.subscribers.delete(jobId);
    };
  }

  async close(): Promise<void> {
    await this.listener?.close();
    this.listener = null;
  }
}
