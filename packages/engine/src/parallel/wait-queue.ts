/** Values pushed by message handlers, taken in order by one consumer that waits while it is empty. */
export class WaitQueue<T> {
  private readonly items: T[] = [];
  private wake: (() => void) | null = null;

  push(item: T): void {
    this.items.push(item);
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  async take(): Promise<T> {
    while (this.items.length === 0) await new Promise<void>((r) => (this.wake = r));
    return this.items.shift()!;
  }
}
