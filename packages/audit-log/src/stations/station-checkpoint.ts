import { type PublicKeyRecord, publicKeyObject } from '@liaison/envelope';
import { verifyConsistency } from '@liaison/merkle';
import { type Checkpoint, verifyCheckpoint } from '../checkpoint.js';
import type { Discrepancy } from '../entry-checks.js';
import { AuditError } from '../errors.js';

/**
 * Agency stations keep their own access log (LED Art. 25) with RFC 9162 proofs and
 * hand the exchange their signed checkpoints, which the gate records in the audit log
 * (`STATION_CHECKPOINT` entries). A station's checkpoint is the audit log's own signed
 * note with the origin `liaison-station/<agency>` and one of the agency's registered
 * signing keys as the key (its kid is the key name).
 */
export const STATION_ORIGIN_PREFIX = 'liaison-station/';

/** The longest note accepted (origin, size, root and one signature line fit in ~250 bytes). */
export const MAX_STATION_NOTE = 1024;

const usableAt = (k: PublicKeyRecord, at: number) =>
  k.use === 'sig' &&
  at >= k.notBefore &&
  (k.notAfter === undefined || at < k.notAfter) &&
  (k.revokedAt === undefined || k.revokedAt > at);

/**
 * Checks a station's signed checkpoint, as the gate does before recording it and an
 * auditor does when it reads the entry back: the origin names the agency, the note is
 * signed by one of its signing keys valid at `at`. Throws BAD_CHECKPOINT.
 */
export function verifyStationCheckpoint(
  note: string,
  agency: string,
  keys: readonly PublicKeyRecord[],
  at: number,
): Checkpoint & { kid: string } {
  if (note.length > MAX_STATION_NOTE) throw new AuditError('BAD_CHECKPOINT', 'not a station checkpoint');
  for (const k of keys.filter((k) => usableAt(k, at))) {
    const key = { name: k.kid, publicRaw: new Uint8Array(Buffer.from(String(k.jwk.x), 'base64url')) };
    let c: Checkpoint;
    try {
      c = verifyCheckpoint(note, key, publicKeyObject(k));
    } catch {
      continue;
    }
    if (c.origin !== `${STATION_ORIGIN_PREFIX}${agency}`)
      throw new AuditError('BAD_CHECKPOINT', 'the checkpoint names another log');
    return { ...c, kid: k.kid };
  }
  throw new AuditError('BAD_CHECKPOINT', 'checkpoint signature verification failed');
}

/** One checkpoint of a station as the audit log recorded it. */
export interface RecordedStationCheckpoint {
  /** The audit log's record index of the entry. */
  index: number;
  at: string;
  agency: string;
  size: number;
  root: string;
  note: string;
}

/** What a station shows an auditor of its log now: its size and root, and consistency proofs from earlier sizes. */
export interface StationLogView {
  size: number;
  root: Uint8Array;
  consistencyProof(fromSize: number): Uint8Array[];
}

/**
 * The auditor's check of a station's access log against the checkpoints the
 * exchange's audit log recorded for it: the log must have only grown since each
 * (RFC 9162 §2.1.4.2 consistency from the recorded size and root to the current
 * ones). A station that rewrote, dropped or reordered entries after handing in a
 * checkpoint cannot produce the proof, even though it holds the key that signs its
 * own checkpoints.
 */
export function checkStationLog(
  recorded: readonly RecordedStationCheckpoint[],
  now: StationLogView,
): Discrepancy[] {
  const out: Discrepancy[] = [];
  for (const r of recorded) {
    const root = new Uint8Array(Buffer.from(r.root, 'hex'));
    if (r.size > now.size) {
      out.push({
        index: r.index,
        code: 'STATION_LOG_SHRANK',
        message: `${r.agency}: the station log has ${now.size} entries, ${r.size} were checkpointed at ${r.at}`,
      });
      continue;
    }
    let ok = false;
    try {
      ok = verifyConsistency(r.size, now.size, root, now.root, now.consistencyProof(r.size));
    } catch {
      ok = false;
    }
    if (!ok)
      out.push({
        index: r.index,
        code: 'STATION_LOG_REWRITTEN',
        message: `${r.agency}: the station log is not an extension of its checkpoint of size ${r.size} recorded at ${r.at}`,
      });
  }
  return out;
}
