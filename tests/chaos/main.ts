// `pnpm chaos [--seed N] [--duration S] [--agencies N] [--rate R]`: the long fault campaign
// (default three minutes, a random seed printed first so that a failing run can be
// replayed). Loopback only; it stops by itself and ends every process it started.
import { parseArgs } from 'node:util';
import { runCampaign } from './campaign.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    duration: { type: 'string', default: '180' },
    agencies: { type: 'string', default: '12' },
    rate: { type: 'string', default: '0.5' },
  },
});
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const result = await runCampaign({
  seed,
  durationMs: Number(values.duration) * 1000,
  agencies: Math.min(15, Math.max(1, Number(values.agencies))),
  ratePerSec: Number(values.rate),
  say: (line) => process.stdout.write(`${line}\n`),
});
process.exitCode = result.ok ? 0 : 1;
