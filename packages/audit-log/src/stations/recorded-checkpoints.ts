import type { LogAccess } from '@liaison/log-reader';
import { STREAMS } from '@liaison/topology';
import { AuditEntryKind } from '@liaison/wire';
import { z } from 'zod';
import { parseQuery } from '../operations/parse-query.js';
import { readingStream } from '../operations/stream-missing.js';
import { readRecords } from '../read-log.js';
import { decodeRecord } from '../records.js';
import type { RecordedStationCheckpoint } from './station-checkpoint.js';

export const StationCheckpointQuerySchema = z
  .object({
    /** Only this agency's station. */
    agency: z.string().min(1).optional(),
    stream: z.string().min(1).optional(),
  })
  .strict();
export type StationCheckpointQuery = z.input<typeof StationCheckpointQuerySchema>;

/**
 * The station checkpoints the audit log recorded, in log order (an auditor's read of
 * AUDIT). Their signatures are checked by `verifyLog` with the rest of the log; these
 * are what `checkStationLog` compares a station's log with.
 */
export async function stationCheckpoints(
  nc: LogAccess,
  query: StationCheckpointQuery = {},
): Promise<RecordedStationCheckpoint[]> {
  const q = parseQuery(StationCheckpointQuerySchema, query, 'station checkpoint query');
  const stream = q.stream ?? STREAMS.audit;
  return readingStream(stream, async () => {
    const out: RecordedStationCheckpoint[] = [];
    let index = 0;
    for await (const { data } of readRecords(nc, stream)) {
      const i = index++;
      const { entry: e } = decodeRecord(data);
      if (e.kind !== AuditEntryKind.STATION_CHECKPOINT) continue;
      if (q.agency && e.sender !== q.agency) continue;
      const [, size, root] = e.stationCheckpoint.split('\n');
      out.push({
        index: i,
        at: new Date(Number(e.atMs)).toISOString(),
        agency: e.sender,
        size: Number(size),
        root: Buffer.from(root ?? '', 'base64').toString('hex'),
        note: e.stationCheckpoint,
      });
    }
    return out;
  });
}
