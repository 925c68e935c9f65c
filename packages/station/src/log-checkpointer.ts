import type { LiaisonClient } from '@liaison/client';
import type { Logger } from '@liaison/core';
import type { AccessLog } from './access-log.js';
import { type Db, getMeta, setMeta } from './db.js';

const RECORDED_META = 'accesslog.checkpoint.recorded';

/** The last checkpoint the exchange's audit log recorded for this station. */
export interface RecordedCheckpoint {
  size: number;
  /** RFC 9162 root, hex. */
  root: string;
  /** When the gate answered that it recorded it. */
  at: string;
}

/**
 * Hands the access log's signed checkpoint to the exchange, which records it in its
 * audit log (`STATION_CHECKPOINT`, docs/station.md): periodically while the log grows.
 * From then on the station cannot rewrite what it logged before that size without an
 * auditor noticing, although it holds the key that signs its own checkpoints.
 */
export class LogCheckpointer {
  constructor(
    private readonly db: Db,
    private readonly log: AccessLog,
    private readonly client: LiaisonClient,
    private readonly logger: Logger,
  ) {}

  recorded(): RecordedCheckpoint | undefined {
    const v = getMeta(this.db, RECORDED_META);
    return v ? (JSON.parse(v) as RecordedCheckpoint) : undefined;
  }

  /** Hands in the current checkpoint when the log grew since the last recorded one. */
  async submit(): Promise<RecordedCheckpoint | undefined> {
    const size = this.log.size;
    if (size === 0 || (this.recorded()?.size ?? 0) >= size) return undefined;
    const answer = await this.client.submitStationCheckpoint(this.log.signedCheckpoint(size));
    const r: RecordedCheckpoint = { size: answer.size, root: answer.root, at: new Date().toISOString() };
    setMeta(this.db, RECORDED_META, JSON.stringify(r));
    this.logger.info({ size: r.size }, 'access log checkpoint recorded by the exchange');
    return r;
  }

  /** Submits every `intervalMs` (and once now) until the returned function is called. */
  start(intervalMs: number): () => void {
    const tick = () =>
      void this.submit().catch((err) =>
        this.logger.warn(
          { code: (err as { code?: string }).code, err: String(err) },
          'access log checkpoint not recorded; retried at the next interval',
        ),
      );
    tick();
    const timer = setInterval(tick, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
