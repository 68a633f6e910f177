import { Worker } from 'node:worker_threads';
const t0 = performance.now();
const w = new Worker(new URL('./src/io/parquet-worker.mjs', import.meta.url));
w.on('error', (e) => console.log('worker error', String(e)));
await new Promise((r) => w.once('online', r));
console.log('online', (performance.now() - t0).toFixed(0));
let id = 1;
import { tableFromIPC } from 'apache-arrow';
for (const [path, cols] of [['/tmp/iox/broken.parquet', undefined], ['/tmp/pq/sales10m.parquet', ['category']], ['/tmp/pq/sales10m.parquet', ['id']]] as const) {
  const myid = id++;
  const t1 = performance.now(); let n = 0;
  await new Promise<void>((resolve) => {
    const onMsg = (m: any) => { if (m.id !== myid) return; if (m.kind === 'batch') { n += tableFromIPC(m.ipc).numRows; w.postMessage({ op: 'next', id: myid }); } else { console.log(m.kind, m.message ?? ''); w.off('message', onMsg); resolve(); } };
    w.on('message', onMsg);
    w.once('error', () => resolve());
    w.postMessage({ op: 'open', id: myid, path, columns: cols, batchSize: 131072 });
    w.postMessage({ op: 'next', id: myid });
  });
  console.log(path, cols, n, (performance.now() - t1).toFixed(0));
}
await w.terminate();
