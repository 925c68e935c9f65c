import { MAX_STATION_NOTE, verifyStationCheckpoint } from '@liaison/audit-log';
import { keysOf, type RegistrySnapshot } from '@liaison/registry';
import { z } from 'zod';
import { AuditEntryKind, type AuditWriter } from './audit.js';
import { GateError } from './errors.js';

/** What a station hands in: its access log's signed checkpoint (a C2SP signed note). */
export const StationCheckpointRequestSchema = z
  .object({ note: z.string().min(1).max(MAX_STATION_NOTE) })
  .strict();

export interface StationCheckpointAnswer {
  recorded: true;
  size: number;
  root: string;
}

/**
 * Records an agency station's access-log checkpoint in the audit log (a
 * `STATION_CHECKPOINT` entry), once it is checked: the origin names the requesting
 * agency (the subject's last token, which the broker pins to it) and the note is
 * signed by one of its registered signing keys valid now. The same checkpoint handed
 * in twice is one entry (the message id is derived from what it records). The
 * answer waits for the audit log's inbox to hold it.
 */
export async function recordStationCheckpoint(
  audit: AuditWriter,
  snapshot: RegistrySnapshot,
  agency: string,
  note: string,
  now = Date.now(),
): Promise<StationCheckpointAnswer> {
  let size: number;
  let root: string;
  try {
    const c = verifyStationCheckpoint(note, agency, keysOf(snapshot, agency), now);
    size = c.size;
    root = Buffer.from(c.root).toString('hex');
  } catch (cause) {
    throw new GateError('BAD_CHECKPOINT', 'not a checkpoint signed by this agency', { cause });
  }
  await audit.append(`station-cp-${agency}-${size}-${root}`, {
    kind: AuditEntryKind.STATION_CHECKPOINT,
    atMs: BigInt(now),
    sender: agency,
    stationCheckpoint: note,
  });
  return { recorded: true, size, root };
}
