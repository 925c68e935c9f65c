// `pnpm bench [name]`: every benchmark, each reported as a ratio against a baseline
// measured in the same run on the same machine. Nothing here is a pass/fail test.
import { auditBench } from './audit.bench.js';
import { envelopeBench } from './envelope.bench.js';
import { gateBench } from './gate.bench.js';
import { logReadBench, verifyReadBench } from './log-read.bench.js';

const only = process.argv[2];
const benches: Record<string, () => Promise<void>> = {
  envelope: envelopeBench,
  gate: gateBench,
  audit: auditBench,
  'log-read': async () => {
    await logReadBench();
    await verifyReadBench();
  },
};
for (const [name, run] of Object.entries(benches)) {
  if (only && only !== name) continue;
  await run();
}
