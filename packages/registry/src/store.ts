import { type Logger, retryTransient } from '@liaison/core';
import type { LogSource } from '@liaison/log-reader';
import { DEFAULT_PREFIX, STREAMS, Subjects, streamConfig } from '@liaison/topology';
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { type ApplyOptions, applyEvent } from './apply-event.js';
import { RegistryError } from './errors.js';
import { Registry } from './registry.js';
import { peekEvent } from './sign-event.js';

/** The type and signer an event claims, read without trusting it (for findings). */
function claimedBy(jws: string): { type?: string; by?: string } {
  try {
    const p = peekEvent(jws).payload as { type?: unknown; by?: unknown };
    return {
      ...(typeof p.type === 'string' ? { type: p.type } : {}),
      ...(typeof p.by === 'string' ? { by: p.by } : {}),
    };
  } catch {
    return {};
  }
}

export interface PolicyStoreOptions extends ApplyOptions {
  /** Subject prefix (default "liaison"): events go to `<prefix>.policy.<type>`. */
  prefix?: string;
  /** Stream name (default "POLICY"). */
  stream?: string;
  /** Replicas for a cluster (default 1). */
  replicas?: number;
  logger?: Logger;
  /**
   * Read the policy log through this (the log reader, from an administrator's or an
   * auditor's own account: docs/decisions/0014) instead of JetStream directly. The store
   * then never reaches JetStream's API and never creates the stream; appending is a
   * publish whose acknowledgement comes back through the account's import.
   */
  source?: LogSource;
}

export interface RejectedEvent {
  seq: number;
  code: string;
  /** What the event claimed to be and who claimed to sign it (unverified), when it could be read. */
  type?: string;
  by?: string;
}

/**
 * The policy event log in JetStream: an append-only stream (delete and purge
 * denied) that the registry is folded from. Writers publish with the expected
 * last sequence, so two administrators cannot interleave; readers re-verify every
 * event and skip (and report) any that does not apply.
 */
export class PolicyStore {
  readonly registry: Registry;
  readonly rejected: RejectedEvent[] = [];
  private lastSeq = 0;
  private readonly js: JetStreamClient;
  private readonly stream: string;
  private readonly subjects: Subjects;

  private constructor(
    private readonly jsm: JetStreamManager | undefined,
    nc: NatsConnection,
    private readonly options: PolicyStoreOptions,
  ) {
    this.registry = new Registry(options);
    this.js = jetstream(nc);
    this.stream = options.stream ?? STREAMS.policy;
    this.subjects = new Subjects(options.prefix ?? DEFAULT_PREFIX);
  }

  /** Opens (creating if needed) the policy stream and folds every event in it. */
  static async open(nc: NatsConnection, options: PolicyStoreOptions): Promise<PolicyStore> {
    const jsm = options.source ? undefined : await jetstreamManager(nc);
    const store = new PolicyStore(jsm, nc, options);
    if (jsm) await store.ensureStream(jsm);
    await store.refresh();
    return store;
  }

  private async ensureStream(jsm: JetStreamManager): Promise<void> {
    try {
      await jsm.streams.info(this.stream);
    } catch {
      const settings = { prefix: this.subjects.prefix, replicas: this.options.replicas ?? 1 };
      await jsm.streams.add({ ...streamConfig(STREAMS.policy, settings), name: this.stream });
    }
  }

  /** One reader or writer at a time: concurrent refreshes would apply the same event twice. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private queue: Promise<unknown> = Promise.resolve();

  /** Reads and applies every event published since the last read. */
  refresh(): Promise<number> {
    return this.exclusive(() => this.refreshNow());
  }

  private async refreshNow(): Promise<number> {
    if (this.options.source) return this.refreshFrom(this.options.source);
    const jsm = this.jsm!;
    // A server reloading its configuration briefly answers "jetstream is not enabled".
    const info = await retryTransient(() => jsm.streams.info(this.stream), { attempts: 20 });
    let applied = 0;
    for (let seq = this.lastSeq + 1; seq <= info.state.last_seq; seq++) {
      let msg: Awaited<ReturnType<JetStreamManager['streams']['getMessage']>>;
      try {
        msg = await retryTransient(() => jsm.streams.getMessage(this.stream, { seq }), { attempts: 20 });
      } catch {
        continue; // a sequence can be missing only if the server lost it; the chain check will tell.
      }
      if (!msg) continue;
      if (await this.applyAt(seq, msg.string())) applied++;
    }
    return applied;
  }

  /** The events since the last read, in batches from the log reader. */
  private async refreshFrom(source: LogSource): Promise<number> {
    let applied = 0;
    const text = new TextDecoder();
    for await (const m of source.messages(this.stream, this.lastSeq + 1))
      if (await this.applyAt(m.seq, text.decode(m.data))) applied++;
    return applied;
  }

  /** Applies the event stored at `seq`; a refused one is kept in `rejected` (and false returned). */
  private async applyAt(seq: number, jws: string): Promise<boolean> {
    this.lastSeq = seq;
    try {
      await this.registry.apply(jws);
      return true;
    } catch (err) {
      const code = err instanceof RegistryError ? err.code : 'INVALID_EVENT';
      this.rejected.push({ seq, code, ...claimedBy(jws) });
      this.options.logger?.warn({ seq, code }, 'policy event refused');
      return false;
    }
  }

  /**
   * Appends a signed event: checked against the current registry first, then
   * published with the expected last sequence. Throws CONFLICT when another writer
   * got there first (refresh and prepare the event again).
   */
  append(jws: string): Promise<void> {
    return this.exclusive(() => this.appendNow(jws));
  }

  private async appendNow(jws: string): Promise<void> {
    await this.refreshNow();
    // Applying to the current snapshot is pure: it refuses without changing anything.
    const { event } = await applyEvent(this.registry.current, jws, this.options);
    try {
      // Idempotent (message id), so a transient failure may be retried.
      await retryTransient(
        () =>
          this.js.publish(this.subjects.policy(event.type), new TextEncoder().encode(jws), {
            msgID: event.id,
            expect: { lastSequence: this.lastSeq },
          }),
        { attempts: 20 },
      );
    } catch (cause) {
      throw new RegistryError('CONFLICT', 'the policy log moved on; refresh and try again', { cause });
    }
    await this.refreshNow();
  }
}
