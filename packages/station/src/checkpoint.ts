import type { KeyObject } from 'node:crypto';
import { type Checkpoint, type NoteKey, verifyCheckpoint } from '@liaison/audit-log';

/**
 * Checkpoints of the station's access log are the exchange audit log's own signed
 * notes (`@liaison/audit-log`'s `signCheckpoint` / `verifyCheckpoint`, C2SP signed-note
 * format) with the station's origin line `liaison-station/<agency>` and the agency's
 * signing key id as the key name: one format, one verifier, for both logs.
 */
export type { Checkpoint, NoteKey };

/** The origin line of an agency's station log. */
export function stationOrigin(agency: string): string {
  return `liaison-station/${agency}`;
}

/** The checkpoint a note carries when `key` signed it; undefined when it is not such a note. */
export function openCheckpoint(note: string, key: NoteKey, publicKey: KeyObject): Checkpoint | undefined {
  try {
    return verifyCheckpoint(note, key, publicKey);
  } catch {
    return undefined;
  }
}
