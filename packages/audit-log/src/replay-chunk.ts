import type { Discrepancy, EntryChecker } from './entry-checks.js';
import { decodeRecord } from './records.js';

/**
 * A run of consecutive records, starting at leaf index `first`. Only entries with an
 * index in [from, to) and a time (ms) in [fromMs, toMs) are checked; every record is
 * still decoded, hashed and chained.
 */
export interface Chunk {
  first: number;
  records: Uint8Array[];
  from: number;
  to: number;
  fromMs: number;
  toMs: number;
}

/** What the replay needs back to chain the records and grow the tree, in record order. */
export interface ChunkResult {
  /** Per record: its leaf hash ‖ the previous leaf hash it names (32 + 32 bytes). */
  hashes: Uint8Array;
  /** Per record: the index it says it has, or -1 if it cannot be decoded. */
  indices: Float64Array;
  discrepancies: Discrepancy[];
}

/** Decodes and hashes each record and checks its entry (the work that can run in any thread). */
export async function checkChunk(checker: EntryChecker, c: Chunk): Promise<ChunkResult> {
  const hashes = new Uint8Array(c.records.length * 64);
  const indices = new Float64Array(c.records.length);
  const discrepancies: Discrepancy[] = [];
  for (const [i, bytes] of c.records.entries()) {
    const index = c.first + i;
    let decoded: ReturnType<typeof decodeRecord>;
    try {
      if (bytes.length === 0) throw new Error('not a record'); // a stream message that was not a block
      decoded = decodeRecord(bytes);
    } catch {
      indices[i] = -1;
      discrepancies.push({ index, code: 'MALFORMED_RECORD', message: `record ${index} cannot be decoded` });
      continue;
    }
    hashes.set(decoded.leaf, i * 64);
    if (decoded.record.prevLeafHash.length === 32) hashes.set(decoded.record.prevLeafHash, i * 64 + 32);
    else hashes.fill(0xff, i * 64 + 32, i * 64 + 64); // matches no leaf hash: reported as a broken chain
    indices[i] = Number(decoded.record.index);
    const at = Number(decoded.entry.atMs);
    if (index >= c.from && index < c.to && at >= c.fromMs && at < c.toMs) {
      const found = checker.check(index, decoded.entry);
      for (const d of found instanceof Promise ? await found : found) discrepancies.push(d);
    }
  }
  return { hashes, indices, discrepancies };
}

/** Records packed into one transferable buffer: per record, u32 LE length ‖ bytes. */
export function packRecords(records: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const r of records) size += 4 + r.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const r of records) {
    view.setUint32(at, r.length, true);
    out.set(r, at + 4);
    at += 4 + r.length;
  }
  return out;
}

export function unpackRecords(packed: Uint8Array): Uint8Array[] {
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const out: Uint8Array[] = [];
  for (let at = 0; at < packed.length; ) {
    const length = view.getUint32(at, true);
    out.push(packed.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return out;
}
