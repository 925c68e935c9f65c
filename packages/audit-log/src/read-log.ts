import { type LogAccess, logSourceOf, type StoredMessage } from '@liaison/log-reader';
import { decodeBlock } from './records.js';

/**
 * Every message of a stream in sequence order (from `fromSeq` on), with its sequence
 * number and time (ms): through JetStream directly (a connection in the exchange's
 * account) or through the log reader (an auditor's `remoteLog`).
 */
export function readStream(access: LogAccess, stream: string, fromSeq = 0): AsyncGenerator<StoredMessage> {
  return logSourceOf(access).messages(stream, fromSeq);
}

/**
 * The log's records in order, unpacked from the blocks they were stored in, with
 * the stream sequence of their block. A message that is not a block yields one
 * empty record (no real record is empty), so that a reader reports it where it is.
 */
export async function* readRecords(
  access: LogAccess,
  stream: string,
  fromSeq = 0,
): AsyncGenerator<{ seq: number; data: Uint8Array }> {
  for await (const { seq, data } of readStream(access, stream, fromSeq)) {
    const records = decodeBlock(data);
    if (!records) yield { seq, data: new Uint8Array(0) };
    else for (const r of records) yield { seq, data: r };
  }
}
