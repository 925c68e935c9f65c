import { Worker } from 'node:worker_threads';
import type { Registry } from '@liaison/registry';
import { type Chunk, type ChunkResult, packRecords } from './replay-chunk.js';

type Waiter = { resolve: (r: ChunkResult) => void; reject: (err: unknown) => void };

/**
 * Worker threads that check chunks of records, each with its own copy of the
 * registry (rebuilt from the same signed events, so every decision is re-derived
 * against the same history). Chunks are dealt round-robin; results come back by id.
 */
export class ReplayPool {
  private readonly waiting = new Map<number, Waiter>();
  private readonly workers: Worker[];
  private next = 0;
  /** Resolves when every worker has rebuilt its registry (rejects if one cannot). */
  readonly ready: Promise<void>;

  constructor(count: number, registry: Registry) {
    const workerData = { anchors: [...registry.options.anchors], events: registry.events.map((e) => e.jws) };
    const started: Promise<void>[] = [];
    this.workers = Array.from({ length: count }, () => {
      const w = spawn(workerData);
      started.push(
        new Promise((resolve, reject) => {
          w.once('error', reject);
          w.on('message', (m: { ready?: boolean; error?: string }) => {
            if (m.ready === true) resolve();
            if (m.ready === false) reject(new Error(`replay worker failed to start: ${m.error}`));
          });
        }),
      );
      w.on('message', (m: { id?: number; result?: ChunkResult; error?: string }) => {
        if (m.id === undefined) return;
        const waiter = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        if (m.result) waiter?.resolve(m.result);
        else waiter?.reject(new Error(`replay worker failed: ${m.error}`));
      });
      w.on('error', (err) => this.failAll(err));
      w.on('exit', (code) => code !== 0 && this.failAll(new Error(`replay worker exited with ${code}`)));
      return w;
    });
    this.ready = Promise.all(started).then(() => undefined);
    this.ready.catch(() => undefined); // awaited by the caller
  }

  private failAll(err: unknown): void {
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }

  run(c: Chunk): Promise<ChunkResult> {
    const id = this.next++;
    const packed = packRecords(c.records).buffer as ArrayBuffer;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.workers[id % this.workers.length]!.postMessage(
        { id, packed, first: c.first, from: c.from, to: c.to, fromMs: c.fromMs, toMs: c.toMs },
        [packed],
      );
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * Compiled, the worker is `replay-worker.js` next to this file. From the TypeScript
 * sources (the workspace's `source` condition, under tsx or the test runner) it is
 * `replay-worker.ts`, loaded through tsx's loader, which the workspace has as a dev
 * dependency.
 */
function spawn(workerData: unknown): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./replay-worker.js', here), { workerData });
  const entry = JSON.stringify(new URL('./replay-worker.ts', here).href);
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${entry}); })`, {
    eval: true,
    execArgv: ['--conditions=source'],
    workerData,
  });
}
