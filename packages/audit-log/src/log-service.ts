import { consumeDurable, createLogger, type Logger } from '@liaison/core';
import type { AgencyKeys } from '@liaison/envelope';
import { MerkleTree } from '@liaison/merkle';
import { AuditBatchSchema, AuditEntrySchema, fromBinary, toBinary } from '@liaison/wire';
import {
  AckPolicy,
  type ConsumerMessages,
  type JetStreamClient,
  type JsMsg,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { signCheckpoint } from './checkpoint.js';
import { AuditError } from './errors.js';
import { readStream } from './read-log.js';
import { decodeRecord, encodeRecord, ZERO_HASH } from './records.js';
import { AUDIT_STREAMS, auditSubjects, ensureAuditStreams } from './streams.js';

export interface AuditLogOptions {
  nc: NatsConnection;
  /** The log's signing key (its identity in the registry, e.g. "liaison-audit-log"). */
  keys: AgencyKeys;
  /** Checkpoint origin line (C2SP): names this log. */
  origin?: string;
  prefix?: string;
  /** Publish a checkpoint after this many new entries... */
  checkpointEvery?: number;
  /** ...and at least this often when the log grew. */
  checkpointIntervalMs?: number;
  logger?: Logger;
}

const enc = new TextEncoder();

/**
 * The audit log's single writer. It takes the gates' batches from AUDIT_IN and
 * appends each entry as one hash-chained record to AUDIT with the expected last
 * sequence (a second writer fails instead of interleaving), keeps the Merkle tree
 * incrementally, publishes signed checkpoints, and answers proof requests.
 */
export class AuditLogService {
  readonly tree = new MerkleTree();
  private readonly byNotice = new Map<string, number[]>();
  private readonly sources = new Set<string>();
  private last: Uint8Array = ZERO_HASH;
  private lastCheckpointSize = -1;
  private readonly js: JetStreamClient;
  private readonly subjects: ReturnType<typeof auditSubjects>;
  private readonly origin: string;
  private readonly logger: Logger;
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private subs: Subscription[] = [];
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(private readonly o: AuditLogOptions) {
    this.js = jetstream(o.nc);
    this.subjects = auditSubjects(o.prefix);
    this.origin = o.origin ?? 'liaison.audit/v1';
    this.logger = o.logger ?? createLogger('audit-log');
  }

  static async start(o: AuditLogOptions): Promise<AuditLogService> {
    const s = new AuditLogService(o);
    const jsm = await jetstreamManager(o.nc);
    await ensureAuditStreams(jsm, o.prefix);
    await s.rebuild();
    s.messages = await consumeDurable(
      o.nc,
      AUDIT_STREAMS.inbox,
      { durable_name: 'audit-log', ack_policy: AckPolicy.Explicit, max_ack_pending: 1 },
      { max_messages: 64 },
    );
    s.loop = s.run(s.messages).catch((err) => s.logger.warn({ err: String(err) }, 'consumer loop ended'));
    s.timer = setInterval(() => void s.checkpoint().catch(() => undefined), o.checkpointIntervalMs ?? 10_000);
    s.subs = s.serve();
    s.logger.info({ size: s.tree.size }, 'audit log started');
    return s;
  }

  /** Rebuilds tree, chain head and indexes from the stored records (and checks the chain). */
  private async rebuild(): Promise<void> {
    for await (const { data } of readStream(this.o.nc, AUDIT_STREAMS.log)) {
      const { record, entry, leaf } = decodeRecord(data);
      if (Number(record.index) !== this.tree.size || Buffer.compare(record.prevLeafHash, this.last) !== 0) {
        throw new AuditError(
          'CORRUPT_LOG',
          `the stored log is broken at record ${this.tree.size}; run liaison audit verify`,
        );
      }
      this.index(entry.noticeId, leaf, record.source);
    }
  }

  private index(noticeId: string, leaf: Uint8Array, source: string): void {
    const i = this.tree.size;
    this.tree.append(leaf);
    this.last = leaf;
    this.sources.add(source);
    if (noticeId) this.byNotice.set(noticeId, [...(this.byNotice.get(noticeId) ?? []), i]);
  }

  private async run(messages: ConsumerMessages): Promise<void> {
    for await (const m of messages) {
      try {
        await this.appendBatch(m);
        m.ack();
      } catch (err) {
        this.logger.warn({ err: String(err) }, 'append failed; will retry');
        m.nak(1000);
      }
    }
  }

  private appendBatch(m: JsMsg): Promise<void> {
    const work = this.writing.then(async () => {
      const msgId = m.headers?.get('Nats-Msg-Id') || `seq-${m.seq}`;
      let entries: Uint8Array[];
      try {
        entries = fromBinary(AuditBatchSchema, m.data).entries.map((e) => toBinary(AuditEntrySchema, e));
      } catch {
        this.logger.warn({ seq: m.seq }, 'not an audit batch; dropped');
        return;
      }
      for (const [i, entry] of entries.entries()) {
        const source = `${msgId}#${i}`;
        if (this.sources.has(source)) continue; // appended before a crash; not twice
        const bytes = encodeRecord(this.tree.size, this.last, entry, source);
        try {
          await this.js.publish(this.subjects.log, bytes, {
            msgID: source,
            expect: { lastSequence: this.tree.size },
          });
        } catch (cause) {
          throw new AuditError('LOG_CONFLICT', 'another writer appended to the audit log', { cause });
        }
        const d = decodeRecord(bytes);
        this.index(d.entry.noticeId, d.leaf, source);
      }
      if (this.tree.size - Math.max(0, this.lastCheckpointSize) >= (this.o.checkpointEvery ?? 100))
        await this.checkpoint();
    });
    this.writing = work.catch(() => undefined);
    return work;
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
      await this.js.publish(this.subjects.checkpoint, enc.encode(note), { msgID: `checkpoint/${size}` });
      this.lastCheckpointSize = size;
    }
    return note;
  }

  private serve(): Subscription[] {
    const reply =
      (fn: (req: Record<string, unknown>) => Promise<unknown>) => (err: Error | null, msg: Msg) => {
        if (err) return;
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
      this.o.nc.subscribe(this.subjects.latest, {
        callback: reply(async () => ({ checkpoint: await this.checkpoint() })),
      }),
      this.o.nc.subscribe(this.subjects.inclusion, {
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
      this.o.nc.subscribe(this.subjects.consistency, {
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
