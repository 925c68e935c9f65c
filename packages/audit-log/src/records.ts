import { leafHash } from '@liaison/merkle';
import {
  type AuditEntry,
  AuditEntrySchema,
  create,
  fromBinary,
  LogBlockSchema,
  type LogRecord,
  LogRecordSchema,
  toBinary,
} from '@liaison/wire';
import { AuditError } from './errors.js';

export const ZERO_HASH = new Uint8Array(32);

export function encodeRecord(index: number, prev: Uint8Array, entry: Uint8Array, source: string): Uint8Array {
  return toBinary(
    LogRecordSchema,
    create(LogRecordSchema, { index: BigInt(index), prevLeafHash: prev, entry, source }),
  );
}

/** A stream message of the log: consecutive records. */
export function encodeBlock(records: Uint8Array[]): Uint8Array {
  return toBinary(LogBlockSchema, create(LogBlockSchema, { records }));
}

/** A block's records, or undefined if the bytes are not a block. */
export function decodeBlock(bytes: Uint8Array): Uint8Array[] | undefined {
  try {
    const { records } = fromBinary(LogBlockSchema, bytes, { readUnknownFields: false });
    return records.length > 0 ? records : undefined;
  } catch {
    return undefined;
  }
}

/** Blocks stay well under the server's default 1 MiB message limit. */
export const MAX_BLOCK_BYTES = 256 * 1024;

export interface DecodedRecord {
  record: LogRecord;
  entry: AuditEntry;
  leaf: Uint8Array;
}

/**
 * Decodes a stored record; the leaf hash is over the exact stored bytes. Bytes that are
 * not a record holding an entry are MALFORMED_RECORD (the protobuf error is the cause).
 */
export function decodeRecord(bytes: Uint8Array): DecodedRecord {
  try {
    const record = fromBinary(LogRecordSchema, bytes);
    return { record, entry: fromBinary(AuditEntrySchema, record.entry), leaf: leafHash(bytes) };
  } catch (cause) {
    throw new AuditError('MALFORMED_RECORD', 'not a log record', { cause });
  }
}
