// A replay worker thread: rebuilds the registry from its signed events, then checks
// the chunks of records it is sent (see replay-pool.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { Registry } from '@liaison/registry';
import { EntryChecker } from './entry-checks.js';
import { checkChunk, unpackRecords } from './replay-chunk.js';

interface Job {
  id: number;
  packed: ArrayBuffer;
  first: number;
  from: number;
  to: number;
  fromMs: number;
  toMs: number;
}

const { anchors, events } = workerData as { anchors: string[]; events: string[] };
const ready = (async () => {
  const registry = new Registry({ anchors });
  for (const jws of events) await registry.apply(jws);
  return new EntryChecker(registry);
})();
ready.then(
  () => parentPort!.postMessage({ ready: true }),
  (err) => parentPort!.postMessage({ ready: false, error: String(err) }),
);

parentPort!.on('message', async (job: Job) => {
  try {
    // A bound that did not arrive would silently check nothing: refuse the job instead.
    for (const k of ['first', 'from', 'to', 'fromMs', 'toMs'] as const)
      if (typeof job[k] !== 'number' || Number.isNaN(job[k])) throw new Error(`job without ${k}`);
    const checker = await ready;
    const r = await checkChunk(checker, { ...job, records: unpackRecords(new Uint8Array(job.packed)) });
    parentPort!.postMessage({ id: job.id, result: r }, [
      r.hashes.buffer as ArrayBuffer,
      r.indices.buffer as ArrayBuffer,
    ]);
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: String(err) });
  }
});
