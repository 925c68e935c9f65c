import { Subjects } from '@liaison/topology';
import type { NatsConnection } from '@nats-io/transport-node';
import { verifyCheckpoint } from '../checkpoint.js';
import { askLog } from './ask-log.js';
import type { LogKey } from './log-key.js';

/** The log's latest signed checkpoint, verified with the log key: the note itself and what it says. */
export async function latestCheckpoint(
  nc: NatsConnection,
  o: { logKey: LogKey; prefix?: string; timeoutMs?: number },
): Promise<{ note: string; size: number; root: string }> {
  const { checkpoint: note } = await askLog<{ checkpoint: string }>(
    nc,
    new Subjects(o.prefix).auditLatest,
    undefined,
    o.timeoutMs,
  );
  const cp = verifyCheckpoint(note, o.logKey, o.logKey.publicKey);
  return { note, size: cp.size, root: Buffer.from(cp.root).toString('hex') };
}
