import type { KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { directLog, type LogSource } from '@liaison/log-reader';
import { MerkleTree, verifyConsistency } from '@liaison/merkle';
import type { Registry, RejectedEvent } from '@liaison/registry';
import { DEFAULT_TOPOLOGY, STREAMS } from '@liaison/topology';
import type { NatsConnection } from '@nats-io/transport-node';
import { type Checkpoint, type NoteKey, verifyCheckpoint } from './checkpoint.js';
import { type ContentReport, checkContent } from './content-check.js';
import { type Discrepancy, EntryChecker } from './entry-checks.js';
import { checkNotReplaced, streamInfos } from './log-presence.js';
import { readRecords, readStream } from './read-log.js';
import { decodeRecord, ZERO_HASH } from './records.js';
import { type Chunk, type ChunkResult, checkChunk } from './replay-chunk.js';
import { ReplayPool } from './replay-pool.js';

export interface VerifyLogOptions {
  nc: NatsConnection;
  /**
   * Where the streams are read (default: JetStream directly through `nc`, inside the
   * exchange's account). An auditor in its own account passes `remoteLog(nc)`: the log
   * reader's batches. Nothing the reader could do goes unseen (docs/decisions/0014):
   * records are chained and their tree's roots signed in checkpoints by the log's key.
   */
  source?: LogSource;
  /** The registry with its full history (decisions are re-derived at their revision). */
  registry: Registry;
  /** The log's checkpoint key (name + public key), from the registry or pinned. */
  logKey: NoteKey & { publicKey: KeyObject };
  /** Streams to read (defaults: AUDIT and AUDIT_CHECKPOINTS). */
  stream?: string;
  checkpointStream?: string;
  /**
   * Only check entries in [from, to): record indexes (numbers) or the times entries
   * were recorded (Dates). The tree and the chain are always rebuilt from record 0.
   */
  from?: number | Date;
  to?: number | Date;
  /** A checkpoint the auditor kept earlier: the log must have only grown since. */
  since?: string;
  /**
   * The log's latest checkpoint as the audit-log writer itself signed and answered it,
   * asked before the read (`latestCheckpoint`): the log read must cover it and extend it.
   * The writer and the log reader are different identities, so a reader that left out
   * the log's end (and the checkpoints over it) is caught without a saved checkpoint
   * (LOG_TRUNCATED).
   */
  latest?: string;
  onProgress?: (done: number, total: number) => void;
  /**
   * Worker threads that decode and check entries: a number (0, the default: all in
   * this thread), or 'auto': one per core when the log is large enough to repay
   * their start-up (AUTO_WORKERS_FROM records), none otherwise.
   */
  workers?: number | 'auto';
  /**
   * Policy events the registry fold refused (PolicyStore.rejected): each is a finding
   * (POLICY_EVENT_REFUSED) — an event in the policy log that was not valid under the
   * rules in force when it was made (signature, chain, four eyes, agency integrity).
   */
  policyRejected?: readonly RejectedEvent[];
  /**
   * Also check the content side of the evidence (`docs/lifecycle.md`): every delivery the
   * log records is still in FEED or was removed as a signed erasure entry records
   * (reported as `erased`); anything else is CONTENT_MISSING / CONTENT_EXPIRED_UNRECORDED.
   * Reads FEED (its digests) and the log a second time.
   */
  content?: boolean;
  /** The delivery window the exchange runs with (days, default 30). */
  feedMaxAgeDays?: number;
  /** The verifier's clock (default now): content gone past FEED's age limit is told apart. */
  now?: number;
}

export interface VerifyReport {
  ok: boolean;
  entries: number;
  checkpoints: number;
  root: string;
  discrepancies: Discrepancy[];
  /** With `content`: deliveries still held, erased as recorded, and missing. */
  content?: ContentReport;
}

/**
 * The auditor's replay: rebuild the tree from the stored records (checking their
 * chain), check every checkpoint's signature and root and that checkpoints are
 * consistent with each other and with one kept earlier, verify every signature the
 * entries reference, and re-derive every decision. Every discrepancy names the
 * record that shows it.
 */
export async function verifyLog(o: VerifyLogOptions): Promise<VerifyReport> {
  const discrepancies: Discrepancy[] = [];
  const stream = o.stream ?? STREAMS.audit;
  const cpStream = o.checkpointStream ?? STREAMS.auditCheckpoints;
  const log = o.source ?? directLog(o.nc);
  const { infos, missing } = await streamInfos(log, [stream, cpStream]);
  if (missing.length > 0) {
    return { ok: false, entries: 0, checkpoints: 0, root: EMPTY_ROOT_HEX, discrepancies: missing };
  }
  const total = await countRecords(log, stream, infos.get(stream)!);
  const workers =
    o.workers === 'auto' ? (total >= AUTO_WORKERS_FROM ? availableParallelism() : 0) : (o.workers ?? 0);
  const pool = workers > 0 ? new ReplayPool(workers, o.registry) : undefined;
  let tree: MerkleTree;
  try {
    await pool?.ready;
    const checker = new EntryChecker(o.registry);
    tree = await replay(
      o,
      log,
      stream,
      total,
      (c) => (pool ? pool.run(c) : checkChunk(checker, c)),
      discrepancies,
    );
  } finally {
    await pool?.close();
  }
  const checkpoints = await readCheckpoints(o, log, discrepancies);
  checkNotReplaced(infos.get(stream)!, checkpoints[0]?.time, discrepancies);
  checkAgainstTree(checkpoints, tree, discrepancies);
  if (o.since) checkSince(o, o.since, 'saved', tree, discrepancies);
  if (o.latest) checkSince(o, o.latest, 'latest', tree, discrepancies);
  const content = o.content
    ? await checkContent(
        {
          log,
          stream,
          feedMaxAgeDays: o.feedMaxAgeDays ?? DEFAULT_TOPOLOGY.feedMaxAgeDays,
          now: o.now ?? Date.now(),
        },
        discrepancies,
      )
    : undefined;
  for (const r of o.policyRejected ?? [])
    discrepancies.push({
      index: -1,
      stream: STREAMS.policy,
      code: 'POLICY_EVENT_REFUSED',
      message: `policy event at sequence ${r.seq}${r.type ? ` (${r.type}${r.by ? ` by ${r.by}` : ''})` : ''} is not valid under the rules in force: ${r.code}`,
    });
  discrepancies.sort((a, b) => a.index - b.index);
  return {
    ok: discrepancies.length === 0,
    entries: tree.size,
    checkpoints: checkpoints.length,
    root: Buffer.from(tree.root()).toString('hex'),
    discrepancies,
    ...(content ? { content } : {}),
  };
}

/**
 * How many records the log holds, from its last block's last record (the work
 * ahead, for the choice of workers and the progress bar; the replay checks it all).
 * Read as every other message is (JetStream directly, or the log reader's batch).
 */
async function countRecords(
  log: LogSource,
  stream: string,
  state: { messages: number; lastSeq: number },
): Promise<number> {
  if (state.messages === 0) return 0;
  let last: Uint8Array | undefined;
  for await (const { data } of readRecords(log, stream, state.lastSeq)) last = data;
  try {
    return Number(decodeRecord(last!).record.index) + 1;
  } catch {
    return state.messages; // a last block that does not decode: the replay reports it
  }
}

const EMPTY_ROOT_HEX = Buffer.from(new MerkleTree().root()).toString('hex');

/** Below this many records, worker start-up (~1–3 s) costs more than the threads save. */
export const AUTO_WORKERS_FROM = 20_000;

/** Records per chunk, and how many chunks may be out being checked at once. */
const CHUNK = 256;
const CHUNKS_IN_FLIGHT = 8;

/**
 * Reads every record in order and has each chunk checked (here or in a worker);
 * then, in record order, checks the chain and grows the tree.
 */
async function replay(
  o: VerifyLogOptions,
  log: LogSource,
  stream: string,
  total: number,
  check: (c: Chunk) => Promise<ChunkResult>,
  discrepancies: Discrepancy[],
): Promise<MerkleTree> {
  const tree = new MerkleTree();
  const bound = (b: number | Date | undefined, open: number) => ({
    index: typeof b === 'number' ? b : open,
    ms: b instanceof Date ? b.getTime() : open,
  });
  const lower = bound(o.from, Number.NEGATIVE_INFINITY);
  const upper = bound(o.to, Number.POSITIVE_INFINITY);
  const range = { from: lower.index, to: upper.index, fromMs: lower.ms, toMs: upper.ms };
  let prev: Uint8Array = ZERO_HASH;
  const absorb = (r: ChunkResult) => {
    discrepancies.push(...r.discrepancies);
    for (let i = 0; i < r.indices.length; i++) {
      const index = tree.size;
      if (r.indices[i] === -1) {
        tree.append(new Uint8Array(32)); // undecodable (the chunk reported it)
        continue;
      }
      const leaf = r.hashes.subarray(i * 64, i * 64 + 32); // the tree keeps a copy
      if (r.indices[i] !== index) {
        discrepancies.push({
          index,
          code: 'RECORD_OUT_OF_PLACE',
          message: `record at position ${index} says it is record ${r.indices[i]} (dropped or reordered)`,
        });
      } else if (Buffer.compare(r.hashes.subarray(i * 64 + 32, i * 64 + 64), prev) !== 0) {
        discrepancies.push({
          index: index - 1,
          code: 'RECORD_ALTERED',
          message: `record ${index - 1} is not the one record ${index} was chained to (altered or replaced)`,
        });
      }
      tree.append(leaf);
      prev = leaf;
    }
    o.onProgress?.(tree.size, total);
  };
  const inflight: Promise<ChunkResult>[] = [];
  let records: Uint8Array[] = [];
  let first = 0;
  const send = () => {
    if (records.length === 0) return;
    const p = check({ first, records, ...range });
    p.catch(() => undefined); // awaited, in order, below
    inflight.push(p);
    first += records.length;
    records = [];
  };
  for await (const { data } of readRecords(log, stream)) {
    records.push(data);
    if (records.length < CHUNK) continue;
    send();
    if (inflight.length >= CHUNKS_IN_FLIGHT) absorb(await inflight.shift()!);
  }
  send();
  for (const p of inflight) absorb(await p);
  return tree;
}

async function readCheckpoints(
  o: VerifyLogOptions,
  log: LogSource,
  out: Discrepancy[],
): Promise<(Checkpoint & { seq: number; time: number })[]> {
  const cps: (Checkpoint & { seq: number; time: number })[] = [];
  for await (const { seq, data, time } of readStream(log, o.checkpointStream ?? STREAMS.auditCheckpoints)) {
    try {
      const cp = verifyCheckpoint(new TextDecoder().decode(data), o.logKey, o.logKey.publicKey);
      cps.push({ ...cp, seq, time });
    } catch {
      out.push({
        index: -1,
        code: 'BAD_CHECKPOINT_SIGNATURE',
        message: `checkpoint #${seq} is not signed by the log key`,
      });
    }
  }
  return cps;
}

function checkAgainstTree(cps: (Checkpoint & { seq: number })[], tree: MerkleTree, out: Discrepancy[]): void {
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  const bySize = new Map<number, Checkpoint & { seq: number }>();
  // Checkpoints whose root is the rebuilt tree's at their size: any two of them are
  // consistent by construction (prefixes of one append-only tree), so consistency
  // proofs are only worth computing when one of a pair is not.
  const matching = new Set<Checkpoint>();
  for (const cp of cps) {
    const other = bySize.get(cp.size);
    if (other && hex(other.root) !== hex(cp.root)) {
      out.push({
        index: cp.size - 1,
        code: 'CHECKPOINT_FORK',
        message: `checkpoints #${other.seq} and #${cp.seq} sign different roots for size ${cp.size}`,
      });
    }
    bySize.set(cp.size, cp);
    if (cp.size > tree.size) {
      out.push({
        index: tree.size,
        code: 'LOG_TRUNCATED',
        message: `checkpoint #${cp.seq} covers ${cp.size} records, the log has ${tree.size}`,
      });
    } else if (hex(tree.root(cp.size)) !== hex(cp.root)) {
      out.push({
        index: cp.size - 1,
        code: 'CHECKPOINT_MISMATCH',
        message: `checkpoint #${cp.seq} (size ${cp.size}) does not match the records: something at or before record ${cp.size - 1} changed`,
      });
    } else matching.add(cp);
  }
  const sorted = [...cps].sort((a, b) => a.size - b.size);
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (a.size === b.size || b.size > tree.size || (matching.has(a) && matching.has(b))) continue;
    if (!verifyConsistency(a.size, b.size, a.root, b.root, tree.consistencyProof(a.size, b.size))) {
      out.push({
        index: b.size - 1,
        code: 'CHECKPOINTS_INCONSISTENT',
        message: `checkpoint #${b.seq} (size ${b.size}) does not extend checkpoint #${a.seq} (size ${a.size})`,
      });
    }
  }
}

/** The log read must cover and extend a checkpoint held apart from it: one the auditor saved, or the writer's latest. */
function checkSince(
  o: VerifyLogOptions,
  note: string,
  which: 'saved' | 'latest',
  tree: MerkleTree,
  out: Discrepancy[],
): void {
  let saved: Checkpoint;
  try {
    saved = verifyCheckpoint(note, o.logKey, o.logKey.publicKey);
  } catch {
    out.push({
      index: -1,
      code: 'BAD_CHECKPOINT_SIGNATURE',
      message: `the ${which} checkpoint is not signed by the log key`,
    });
    return;
  }
  if (saved.size > tree.size) {
    out.push({
      index: tree.size,
      code: 'LOG_TRUNCATED',
      message: `the ${which} checkpoint covers ${saved.size} records, the log has ${tree.size}`,
    });
    return;
  }
  if (
    !verifyConsistency(
      saved.size,
      tree.size,
      saved.root,
      tree.root(),
      tree.consistencyProof(saved.size, tree.size),
    )
  ) {
    out.push({
      index: saved.size - 1,
      code: which === 'saved' ? 'NOT_CONSISTENT_WITH_SAVED' : 'NOT_CONSISTENT_WITH_LATEST',
      message: `the log is not an extension of the ${which} checkpoint (size ${saved.size}): history was rewritten`,
    });
  }
}
