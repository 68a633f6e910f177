// Parquet decoding thread (plain ESM so it runs unchanged under node, tsx and vitest).
// Decoding in a worker overlaps it with query execution on the main thread, and contains
// parquet-wasm failures on corrupt data (which can surface as uncaught exceptions / wasm
// traps rather than rejected promises).
//
// Protocol (main → worker): {op:'open', id, path, columns, rowGroups, batchSize} | {op:'next', id} | {op:'close', id}
//           (worker → main): {id, kind:'batch', ipc: Uint8Array (transferred)} | {id, kind:'done'} | {id, kind:'error', message}
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { ParquetFile } from 'parquet-wasm';

const files = new Map(); // path → Promise<ParquetFile>
const scans = new Map(); // id → reader

function fileOf(path) {
  let f = files.get(path);
  if (!f) {
    f = fs.openAsBlob(path).then((blob) => ParquetFile.fromFile(blob));
    files.set(path, f);
    f.catch(() => files.delete(path));
  }
  return f;
}

parentPort.on('message', async (msg) => {
  const { id } = msg;
  try {
    if (msg.op === 'open') {
      // stored synchronously: a 'next' right behind the 'open' waits for it
      const p = fileOf(msg.path)
        .then((file) => file.stream({ columns: msg.columns, rowGroups: msg.rowGroups ?? undefined, batchSize: msg.batchSize, concurrency: 1 }))
        .then((stream) => stream.getReader());
      p.catch(() => {});
      scans.set(id, p);
      return;
    }
    if (msg.op === 'next') {
      const pending = scans.get(id);
      if (!pending) return;
      const reader = await pending;
      const r = await reader.read();
      if (r.done) {
        scans.delete(id);
        parentPort.postMessage({ id, kind: 'done' });
        return;
      }
      const ipc = r.value.intoIPCStream();
      parentPort.postMessage({ id, kind: 'batch', ipc }, [ipc.buffer]);
      return;
    }
    if (msg.op === 'close') {
      const pending = scans.get(id);
      scans.delete(id);
      if (pending) pending.then((reader) => reader.cancel()).catch(() => {});
    }
  } catch (e) {
    scans.delete(id);
    parentPort.postMessage({ id, kind: 'error', message: e instanceof Error ? e.message : String(e) });
  }
});
