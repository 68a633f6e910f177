import * as pw from 'parquet-wasm';
import { tableFromIPC, RecordBatchReader } from 'apache-arrow';
import fs from 'node:fs';
const blob = await fs.openAsBlob('/tmp/pq/sales10m.parquet');
const f = await pw.ParquetFile.fromFile(blob);
for (const cols of [['category'],['amount'],['partition_key'],['id']]) {
let t=performance.now();
const st = await f.stream({columns:cols, concurrency: 2, batchSize: 131072});
let n=0, nb=0, ipc=0; for await (const b of st) { const t1=performance.now(); const x = tableFromIPC(b.intoIPCStream()); ipc+=performance.now()-t1; n+=x.numRows; nb++; }
console.log(cols, 'stream', (performance.now()-t).toFixed(0), 'ipc', ipc.toFixed(0), n, nb);
}
let t=performance.now();
const buf = fs.readFileSync('/tmp/pq/sales10m.parquet');
const wt = pw.readParquet(buf, {columns:["category"], batchSize: 131072});
const tb = tableFromIPC(wt.intoIPCStream());
console.log('readParquet whole', performance.now()-t, tb.batches.length);
