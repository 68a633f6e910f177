/** The e2e stack by hand, for looking at the dashboard with test data: `npm run stack -w @phaselab/e2e`; Ctrl-C stops it. */
import { startStack } from './stack';

const stack = await startStack();
process.stdout.write(`dashboard ${stack.webUrl}/?key=${stack.apiKey}\nAPI ${stack.apiUrl}\nAPI key: ${stack.apiKey}\n`);
let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    void stack.stop().then(() => process.exit(0));
  });
}
