/** Reads a tRPC SSE subscription (what httpSubscriptionLink's EventSource gets) with fetch. */
export async function subscribe(baseUrl: string, procedure: string, input: unknown, key: string, onData: (data: any) => boolean | void, timeoutMs = 60_000): Promise<any[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const events: any[] = [];
  try {
    const res = await fetch(`${baseUrl}/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`, {
      headers: { Authorization: `Bearer ${key}`, Accept: 'text/event-stream' },
      signal: controller.signal,
    });
    if (!res.ok || !res.body) throw new Error(`${procedure}: HTTP ${res.status} ${await res.text()}`);
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buf += decoder.decode(chunk, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const dataLines = block.split('\n').filter((l) => l.startsWith('data:'));
        const event = block.split('\n').find((l) => l.startsWith('event:'))?.slice(6).trim();
        if (event === 'return') return events;
        if (event === 'serialized-error') throw new Error(`${procedure}: ${dataLines.join('\n')}`);
        if (dataLines.length === 0 || event) continue;
        const data = JSON.parse(dataLines.map((l) => l.slice(5).trimStart()).join('\n'));
        events.push(data);
        if (onData(data) === true) return events;
      }
    }
    return events;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
