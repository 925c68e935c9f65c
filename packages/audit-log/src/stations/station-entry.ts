import { keysOf, type Registry } from '@liaison/registry';
import type { AuditEntry } from '@liaison/wire';
import { verifyStationCheckpoint } from './station-checkpoint.js';

/**
 * A station checkpoint entry on its own: the note it carries is the recording agency's
 * (`sender`) station log, signed by one of that agency's signing keys valid when the
 * gate recorded it. Whether the station's log is still consistent with it is
 * `checkStationLog`, with the station's answer.
 */
export function checkStationEntry(
  e: AuditEntry,
  registry: Registry,
  bad: (code: string, message: string) => void,
): void {
  const at = Number(e.atMs);
  try {
    verifyStationCheckpoint(e.stationCheckpoint, e.sender, keysOf(registry.atTime(at), e.sender), at);
  } catch {
    bad(
      'BAD_STATION_CHECKPOINT',
      `station checkpoint of ${e.sender}: not signed by the agency's key valid then`,
    );
  }
}
