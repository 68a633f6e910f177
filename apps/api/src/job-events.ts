/**
 * Job and dataset-generation events for the API's SSE subscribers: one LISTEN connection on both
 * channels, fanned out by channel and id.
 */
import { DATASET_CHANNEL, JOB_CHANNEL, Listener, type DatasetEvent, type JobEvent } from './queue/notify.js';

type Channel = typeof JOB_CHANNEL | typeof DATASET_CHANNEL;
type EventOf<C extends Channel> = C extends typeof JOB_CHANNEL ? JobEvent : DatasetEvent;

export class JobEvents {
  private listener: Listener | null = null;
  private readonly subscribers = new Map<string, Set<(e: any) => void>>();

  constructor(private readonly url: string) {}

  /** Resolves once LISTEN is active, so an event published after it is not missed. */
  async subscribe(jobId: string, cb: (e: JobEvent | 'reconnected') => void): Promise<() => void> {
    return this.subscribeTo(JOB_CHANNEL, jobId, cb);
  }

  async subscribeTo<C extends Channel>(channel: C, id: string, cb: (e: EventOf<C> | 'reconnected') => void): Promise<() => void> {
    if (!this.listener) {
      const l = new Listener(this.url, [JOB_CHANNEL, DATASET_CHANNEL]);
      for (const ch of [JOB_CHANNEL, DATASET_CHANNEL]) {
        l.on(ch, (payload: string) => {
          let e: { id: string };
          try {
            e = JSON.parse(payload) as { id: string };
          } catch {
            return;
          }
          for (const fn of this.subscribers.get(`${ch}:${e.id}`) ?? []) fn(e);
        });
      }
      l.on('reconnected', () => {
        for (const set of this.subscribers.values()) for (const fn of set) fn('reconnected');
      });
      this.listener = l;
    }
    await this.listener.start();
    const key = `${channel}:${id}`;
    let set = this.subscribers.get(key);
    if (!set) this.subscribers.set(key, (set = new Set()));
    set.add(cb);
    return () => {
      set.delete(cb);
      if (set.size === 0) this.subscribers.delete(key);
    };
  }

  async close(): Promise<void> {
    await this.listener?.close();
    this.listener = null;
  }
}
