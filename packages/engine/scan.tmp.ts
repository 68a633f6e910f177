import { openTableFile } from './src/index.js';
const f = process.argv[2]!;
const t = await openTableFile(f);
for (const cols of [['category'], ['amount'], ['region'], ['order_date'], ['id'], ['category', 'amount']]) {
  for (let k = 0; k < 2; k++) {
    const t0 = performance.now();
    let n = 0;
    for await (const b of t.scan({ columns: cols })) n += b.numRows;
    if (k === 1) console.log(cols.join(','), `${(performance.now() - t0).toFixed(0)} ms`, n);
  }
}
process.exit(0);
