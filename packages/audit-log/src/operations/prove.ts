import type { LogAccess, LogSource } from '@liaison/log-reader';
import { leafHash, verifyInclusion } from '@liaison/merkle';
import { STREAMS, Subjects } from '@liaison/topology';
import type { NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';
import { verifyCheckpoint } from '../checkpoint.js';
import { readRecords } from '../read-log.js';
import { decodeRecord } from '../records.js';
import { askLog } from './ask-log.js';
import { KIND_NAMES } from './history.js';
import type { LogKey } from './log-key.js';
import { parseQuery } from './parse-query.js';
import { readingStream } from './stream-missing.js';

export const ProveQuerySchema = z.object({ noticeId: z.string().min(1) }).strict();

export interface EntryProof {
  index: number;
  /** The record was read from the log and its inclusion proof verified against the checkpoint. */
  ok: boolean;
  kind: string;
  recipient: string;
  /** `recipient (level)` for each decision a submission records. */
  decisions: string[];
  path: string[];
}

export interface NoticeProof {
  noticeId: string;
  checkpoint: { origin: string; size: number; root: string };
  proofs: EntryProof[];
  ok: boolean;
}

/**
 * Inclusion proofs of every entry of a notice (its submission and its read
 * receipts), asked of the audit-log service and verified here against the signed
 * checkpoint it answers with, over the records read from the log itself.
 */
export async function proveNotice(
  nc: NatsConnection,
  o: { noticeId: string; logKey: LogKey; prefix?: string; source?: LogSource },
): Promise<NoticeProof> {
  const { noticeId } = parseQuery(ProveQuerySchema, { noticeId: o.noticeId }, 'proof request');
  const answer = await askLog<{ checkpoint: string; proofs: { index: number; path: string[] }[] }>(
    nc,
    new Subjects(o.prefix).auditInclusion,
    { noticeId },
  );
  const cp = verifyCheckpoint(answer.checkpoint, o.logKey, o.logKey.publicKey);
  const records = await readWanted(o.source ?? nc, new Set(answer.proofs.map((p) => p.index)));
  const proofs = answer.proofs.map((p): EntryProof => {
    const record = records.get(p.index);
    const path = p.path.map((h) => Buffer.from(h, 'hex'));
    const ok = !!record && verifyInclusion(p.index, cp.size, leafHash(record), path, cp.root);
    const e = record ? decodeRecord(record).entry : undefined;
    return {
      index: p.index,
      ok,
      kind: e ? (KIND_NAMES[e.kind] ?? String(e.kind)) : 'missing',
      recipient: e?.recipient ?? '',
      decisions: e?.decisions.map((d) => `${d.recipient} (${d.level})`) ?? [],
      path: p.path,
    };
  });
  return {
    noticeId,
    checkpoint: { origin: cp.origin, size: cp.size, root: Buffer.from(cp.root).toString('hex') },
    proofs,
    ok: proofs.every((r) => r.ok),
  };
}

/** The records at the wanted indexes, read from the log (up to the last wanted one). */
async function readWanted(nc: LogAccess, wanted: Set<number>): Promise<Map<number, Uint8Array>> {
  const records = new Map<number, Uint8Array>();
  if (wanted.size === 0) return records;
  const last = Math.max(...wanted);
  return readingStream(STREAMS.audit, async () => {
    let i = 0;
    for await (const { data } of readRecords(nc, STREAMS.audit)) {
      if (wanted.has(i)) records.set(i, data);
      if (++i > last) break;
    }
    return records;
  });
}
