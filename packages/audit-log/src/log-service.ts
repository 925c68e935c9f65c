import { consumeDurable, createLogger, type Logger } from '@liaison/core';
import type { AgencyKeys } from '@liaison/envelope';
import { leafHash, MerkleTree } from '@liaison/merkle';
import {
  AUDIT_LOG_STREAMS,
  DEFAULT_PREFIX,
  DURABLES,
  ensureStreams,
  isReplySpace,
  STREAMS,
  Subjects,
} from '@liaison/topology';
import { AuditBatchSchema, type AuditEntry, AuditEntrySchema, fromBinary, toBinary } from '@liaison/wire';
import {
  AckPolicy,
  type ConsumerMessages,
  type JetStreamClient,
  type JsMsg,
  jetstream,
  jetstreamManager,
  type PubAck,
} from '@nats-io/jetstream';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { signCheckpoint } from './checkpoint.js';
import { AuditError } from './errors.js';
import { readRecords } from './read-log.js';
import { decodeRecord, encodeBlock, encodeRecord, MAX_BLOCK_BYTES, ZERO_HASH } from './records.js';

/** A record ready to append: its bytes, its leaf hash, and what the indexes need. */
interface BlockRecord {
  bytes: Uint8Array;
  leaf: Uint8Array;
  noticeId: string;
  source: string;
}

export interface AuditLogOptions {
  nc: NatsConnection;
  /** The log's signing key (its identity in the registry, e.g. "liaison-audit-log"). */
  keys: AgencyKeys;
  /** Checkpoint origin line (C2SP): names this log. */
  origin?: string;
  prefix?: string;
  /** Replicas of the audit streams it creates (default 1; 3 in a cluster, like the gate's). */
  replicas?: number;
  /** Publish a checkpoint after this many new entries... */
  checkpointEvery?: number;
  /** ...and at least this often when the log grew. */
  checkpointIntervalMs?: number;
  logger?: Logger;
}

const enc = new TextEncoder();

/**
 * The audit log's single writer. It takes the gates' batches from AUDIT_IN and
 * appends each entry as one hash-chained record to AUDIT, the records of the batches
 * that arrived together in one block (one stream message) published with the
 * expected last sequence (a second writer cannot interleave: a stale one catches up
 * and retries on top), keeps the Merkle tree incrementally, publishes signed
 * checkpoints, and answers proof requests.
 */
export class AuditLogService {
  readonly tree = new MerkleTree();
  private readonly byNotice = new Map<string, number[]>();
  private readonly sources = new Set<string>();
  private last: Uint8Array = ZERO_HASH;
  /** Stream sequence of the last block: the next append expects it. */
  private lastSeq = 0;
  private lastCheckpointSize = -1;
  private readonly js: JetStreamClient;
  private readonly subjects: Subjects;
  private readonly origin: string;
  private readonly logger: Logger;
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private subs: Subscription[] = [];
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(private readonly o: AuditLogOptions) {
    this.js = jetstream(o.nc);
    this.subjects = new Subjects(o.prefix);
    this.origin = o.origin ?? 'liaison.audit/v1';
    this.logger = o.logger ?? createLogger('audit-log');
  }

  static async start(o: AuditLogOptions): Promise<AuditLogService> {
    const s = new AuditLogService(o);
    const jsm = await jetstreamManager(o.nc);
    await ensureStreams(
      jsm,
      { prefix: o.prefix ?? DEFAULT_PREFIX, replicas: o.replicas ?? 1 },
      AUDIT_LOG_STREAMS,
    );
    await s.catchUp();
    s.messages = await consumeDurable(
      o.nc,
      STREAMS.auditIn,
      { durable_name: DURABLES.auditLog, ack_policy: AckPolicy.Explicit, max_ack_pending: 1024 },
      { max_messages: 256 },
    );
    s.loop = s.run(s.messages).catch((err) => s.logger.warn({ err: String(err) }, 'consumer loop ended'));
    s.timer = setInterval(() => void s.checkpoint().catch(() => undefined), o.checkpointIntervalMs ?? 10_000);
    s.subs = s.serve();
    s.logger.info({ size: s.tree.size }, 'audit log started');
    return s;
  }

  /**
   * Reads the records stored after the last block this writer knows of (all of them
   * at start-up, those another writer appended after a conflict), checks that they
   * continue the chain, and indexes them.
   */
  private async catchUp(): Promise<void> {
    const corrupt = () =>
      new AuditError(
        'CORRUPT_LOG',
        `the stored log is broken at record ${this.tree.size}; run liaison audit verify`,
      );
    for await (const { seq, data } of readRecords(this.o.nc, STREAMS.audit, this.lastSeq + 1)) {
      if (data.length === 0) throw corrupt();
      const { record, entry, leaf } = decodeRecord(data);
      if (Number(record.index) !== this.tree.size || Buffer.compare(record.prevLeafHash, this.last) !== 0) {
        throw corrupt();
      }
      this.index(entry.noticeId, leaf, record.source);
      this.lastSeq = seq;
    }
  }

  private index(noticeId: string, leaf: Uint8Array, source: string): void {
    const i = this.tree.size;
    this.tree.append(leaf);
    this.last = leaf;
    this.sources.add(source);
    if (noticeId) this.byNotice.set(noticeId, [...(this.byNotice.get(noticeId) ?? []), i]);
  }

  /**
   * Takes the gates' batches as they come and appends whatever has arrived together
   * as one group (one block, or a few when large): a stream message per group
   * instead of one per entry, for the writer and for every reader of the log.
   */
  private async run(messages: ConsumerMessages): Promise<void> {
    let group: JsMsg[] = [];
    let flush: Promise<void> | undefined;
    const append = (): Promise<void> => {
      const g = group;
      group = [];
      flush = undefined;
      return this.appendGroup(g).then(
        () => {
          for (const x of g) x.ack();
        },
        (err) => {
          this.logger.warn({ err: String(err) }, 'append failed; will retry');
          for (const x of g) x.nak(1000);
        },
      );
    };
    for await (const m of messages) {
      group.push(m);
      // What else has already arrived joins this group; it is written once they are in.
      flush ??= new Promise<void>((r) => setImmediate(r)).then(append);
    }
    await flush; // stopping: the last group is written (or handed back) first
  }

  private appendGroup(ms: JsMsg[]): Promise<void> {
    const work = this.writing.then(async () => {
      const batches: { msgId: string; entries: AuditEntry[] }[] = [];
      for (const m of ms) {
        try {
          const { entries } = fromBinary(AuditBatchSchema, m.data);
          batches.push({ msgId: m.headers?.get('Nats-Msg-Id') || `seq-${m.seq}`, entries });
        } catch {
          this.logger.warn({ seq: m.seq }, 'not an audit batch; dropped');
        }
      }
      // A conflict means another writer appended first; this one has caught up, so
      // the group is chained again on top of the log as it now stands.
      for (let attempt = 1; ; attempt++) {
        try {
          await this.appendEntries(batches);
          break;
        } catch (err) {
          if ((err as AuditError).code !== 'LOG_CONFLICT' || attempt >= 3) throw err;
        }
      }
      if (this.tree.size - Math.max(0, this.lastCheckpointSize) >= (this.o.checkpointEvery ?? 100))
        await this.checkpoint();
    });
    this.writing = work.catch(() => undefined);
    return work;
  }

  /** The batches' records, chained, in blocks; records appended before (a crash, a conflict) are not appended twice. */
  private async appendEntries(batches: { msgId: string; entries: AuditEntry[] }[]): Promise<void> {
    let block: BlockRecord[] = [];
    let blockBytes = 0;
    const taken = new Set<string>(); // a batch delivered twice into one group is written once
    for (const { msgId, entries } of batches) {
      for (const [i, e] of entries.entries()) {
        const source = `${msgId}#${i}`;
        if (this.sources.has(source) || taken.has(source)) continue;
        taken.add(source);
        const index = this.tree.size + block.length;
        const bytes = encodeRecord(
          index,
          block.at(-1)?.leaf ?? this.last,
          toBinary(AuditEntrySchema, e),
          source,
        );
        if (block.length > 0 && blockBytes + bytes.length > MAX_BLOCK_BYTES) {
          // A full block goes first; this record's index and predecessor stay what they are.
          await this.appendBlock(block);
          block = [];
          blockBytes = 0;
        }
        block.push({ bytes, leaf: leafHash(bytes), noticeId: e.noticeId, source });
        blockBytes += bytes.length;
      }
    }
    if (block.length > 0) await this.appendBlock(block);
  }

  /** Appends one block after the last one this writer knows of: another writer's append makes it fail. */
  private async appendBlock(block: BlockRecord[]): Promise<void> {
    let ack: PubAck;
    try {
      ack = await this.js.publish(this.subjects.auditLog, encodeBlock(block.map((r) => r.bytes)), {
        msgID: block[0]!.source,
        expect: { lastSequence: this.lastSeq },
      });
    } catch (cause) {
      // Another writer appended first (or the server is unreachable): nothing was
      // interleaved. Learn what is there now; the batch is retried on top of it.
      this.logger.warn({ err: String(cause) }, 'append refused (another writer?); catching up');
      await this.catchUp();
      throw new AuditError('LOG_CONFLICT', 'the log moved on under this writer', { cause });
    }
    if (ack.duplicate) {
      this.logger.warn({ source: block[0]!.source }, 'block already appended by another writer; catching up');
      await this.catchUp();
      throw new AuditError('LOG_CONFLICT', 'the block was already appended by another writer');
    }
    for (const r of block) this.index(r.noticeId, r.leaf, r.source);
    this.lastSeq = ack.seq;
  }

  /** Signs and publishes a checkpoint for the current size (if it grew); returns the note. */
  async checkpoint(): Promise<string> {
    const size = this.tree.size;
    const note = signCheckpoint(
      { origin: this.origin, size, root: this.tree.root(size) },
      { name: this.o.keys.agency, publicRaw: this.o.keys.signing.publicRaw },
      this.o.keys.signing.privateKey,
    );
    if (size !== this.lastCheckpointSize) {
      await this.js.publish(this.subjects.auditCheckpoint, enc.encode(note), { msgID: `checkpoint/${size}` });
      this.lastCheckpointSize = size;
    }
    return note;
  }

  /** For metrics: the log's size and that of the last checkpoint this writer published (0: none yet). */
  stats(): { size: number; checkpointSize: number } {
    return { size: this.tree.size, checkpointSize: Math.max(0, this.lastCheckpointSize) };
  }

  private serve(): Subscription[] {
    const reply =
      (fn: (req: Record<string, unknown>) => Promise<unknown>) => (err: Error | null, msg: Msg) => {
        if (err) return;
        // Never a deputy: answers go to a reply space only (an inbox, a service import's reply).
        if (!isReplySpace(msg.reply)) {
          this.logger.warn(
            { code: 'REPLY_REFUSED', subject: msg.subject },
            'request with a reply subject outside any reply space',
          );
          return;
        }
        (async () => {
          try {
            const req = msg.data.length
              ? (JSON.parse(new TextDecoder().decode(msg.data)) as Record<string, unknown>)
              : {};
            msg.respond(enc.encode(JSON.stringify(await fn(req))));
          } catch (e) {
            msg.respond(
              enc.encode(
                JSON.stringify({
                  error: { code: (e as AuditError).code ?? 'BAD_REQUEST', message: (e as Error).message },
                }),
              ),
            );
          }
        })().catch((e) => this.logger.warn({ err: String(e) }, 'request not answered'));
      };
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    return [
      this.o.nc.subscribe(this.subjects.auditLatest, {
        callback: reply(async () => ({ checkpoint: await this.checkpoint() })),
      }),
      this.o.nc.subscribe(this.subjects.auditInclusion, {
        callback: reply(async (req) => {
          const note = await this.checkpoint();
          const size = this.tree.size;
          const indexes =
            typeof req.noticeId === 'string' ? (this.byNotice.get(req.noticeId) ?? []) : [Number(req.index)];
          if (indexes.length === 0 || indexes.some((i) => !Number.isInteger(i) || i < 0 || i >= size)) {
            throw new AuditError('NOT_FOUND', 'no such entry in the log');
          }
          return {
            size,
            checkpoint: note,
            proofs: indexes.map((i) => ({
              index: i,
              leaf: hex(this.tree.leaf(i)),
              path: this.tree.inclusionProof(i, size).map(hex),
            })),
          };
        }),
      }),
      this.o.nc.subscribe(this.subjects.auditConsistency, {
        callback: reply(async (req) => {
          const first = Number(req.first);
          const second = req.second === undefined ? this.tree.size : Number(req.second);
          if (
            !Number.isInteger(first) ||
            !Number.isInteger(second) ||
            first < 0 ||
            first > second ||
            second > this.tree.size
          ) {
            throw new AuditError('BAD_REQUEST', 'sizes out of range');
          }
          return {
            first,
            second,
            proof: this.tree.consistencyProof(first, second).map(hex),
            checkpoint: await this.checkpoint(),
          };
        }),
      }),
    ];
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    for (const s of this.subs) s.unsubscribe();
    await this.messages?.close();
    await this.loop;
    await this.writing;
  }
}
