import { decodeBlock, decodeRecord } from '@liaison/audit-log';
import type { AuditEntry } from '@liaison/wire';
import { type ConsumerMessages, DeliverPolicy, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/**
 * Follows the audit log from its first block, through an ordered (ephemeral) reader:
 * every entry in log order to `onEntry`, and `onCaughtUp` once the blocks that were
 * stored when it started have all been read (then live). Nothing is kept on the server:
 * a restart reads the log again, so no state can be lost between runs.
 */
export async function followLog(
  nc: NatsConnection,
  stream: string,
  onEntry: (e: AuditEntry) => void,
  onCaughtUp: () => void,
): Promise<ConsumerMessages> {
  const js = jetstream(nc);
  const info = await (await js.jetstreamManager()).streams.info(stream);
  const last = info.state.messages === 0 ? 0 : info.state.last_seq;
  const consumer = await js.consumers.get(stream, { deliver_policy: DeliverPolicy.All });
  const messages = await consumer.consume({ max_bytes: 4 * 1024 * 1024 });
  if (last === 0) onCaughtUp();
  void (async () => {
    for await (const m of messages) {
      for (const record of decodeBlock(m.data) ?? []) {
        try {
          onEntry(decodeRecord(record).entry);
        } catch {
          // An undecodable record is the auditor's finding; it holds no deadline.
        }
      }
      if (m.seq === last) onCaughtUp();
    }
  })();
  return messages;
}
