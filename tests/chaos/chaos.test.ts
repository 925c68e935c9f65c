import { describe, expect, it } from 'vitest';
import { runCampaign } from './campaign.js';

// The short, seeded fault campaign (the long one is `pnpm chaos`, README). The seed is
// fixed so that CI runs the same schedule every time; LIAISON_CHAOS_SEED replays another.
const seed = Number(process.env.LIAISON_CHAOS_SEED ?? 16);

describe('fault campaign (short)', () => {
  it('loses, duplicates and misdelivers nothing while nodes, gates and the writer are killed and paused', async () => {
    const result = await runCampaign({
      seed,
      durationMs: 35_000,
      agencies: 10,
      ratePerSec: 0.5,
      settleMs: 60_000,
      say: (line) => process.stdout.write(`${line}\n`),
    });
    expect(result.faults.length).toBeGreaterThan(3);
    expect(result.findings.accepted).toBeGreaterThan(50);
    expect(result.ok, result.summary).toBe(true);
  }, 480_000); // ~150 s on a quiet machine; the checks slow down a lot when the 2 cores are shared
});
