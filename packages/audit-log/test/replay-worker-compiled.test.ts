// The compiled package runs its replay workers from dist/replay-worker.js (the
// sources run them through tsx): build it and check that such a worker starts,
// rebuilds a registry and answers a job.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const tsc = fileURLToPath(new URL('../../../node_modules/.bin/tsc', import.meta.url));
const compiled = new URL('../dist/replay-worker.js', import.meta.url);

beforeAll(async () => {
  await promisify(execFile)(tsc, ['-b', 'packages/audit-log/tsconfig.json'], { cwd: root });
}, 120_000);

describe('the compiled replay worker', () => {
  it('starts, and checks a chunk it is sent (an undecodable record is reported, not fatal)', async () => {
    // As in production: no `source` condition inherited from the test runner.
    const worker = new Worker(compiled, { workerData: { anchors: [], events: [] }, execArgv: [] });
    const messages: unknown[] = [];
    const next = () =>
      new Promise<unknown>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    messages.push(await next());
    const packed = new Uint8Array([3, 0, 0, 0, 0xff, 0xff, 0xff]).buffer; // one 3-byte record
    worker.postMessage({ id: 1, packed, first: 0, from: 0, to: 10, fromMs: 0, toMs: 1e15 }, [packed]);
    messages.push(await next());
    worker.postMessage({ id: 2, packed: new ArrayBuffer(0), first: 0, from: 0, to: 10 }); // bounds missing
    messages.push(await next());
    await worker.terminate();
    expect(messages[0]).toEqual({ ready: true });
    expect(messages[1]).toMatchObject({
      id: 1,
      result: { discrepancies: [{ index: 0, code: 'MALFORMED_RECORD' }] },
    });
    expect(messages[2]).toMatchObject({ id: 2, error: expect.stringMatching(/job without fromMs/) });
  }, 30_000);
});
