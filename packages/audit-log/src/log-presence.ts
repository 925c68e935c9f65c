import type { LogSource, StreamState } from '@liaison/log-reader';
import type { Discrepancy } from './entry-checks.js';

/** Server clocks of a cluster's nodes may differ a little: a stream is "newer" only beyond this. */
const CLOCK_SLACK_MS = 1_000;

/**
 * The first steps of verification: both streams exist (LOG_MISSING names each
 * one that does not), and their info, for the later checks.
 */
export async function streamInfos(
  log: LogSource,
  names: readonly string[],
): Promise<{ infos: Map<string, StreamState>; missing: Discrepancy[] }> {
  const infos = new Map<string, StreamState>();
  const missing: Discrepancy[] = [];
  for (const name of names) {
    const state = await log.streamState(name);
    if (state) infos.set(name, state);
    else {
      missing.push({
        index: -1,
        code: 'LOG_MISSING',
        stream: name,
        message: `the ${name} stream does not exist (deleted, or never created)`,
      });
    }
  }
  return { infos, missing };
}

/**
 * Signs that the log stream was replaced: it does not start at sequence 1 (delete
 * and purge are denied, so nothing can have been removed from a real one), or it
 * was created after a checkpoint had already been signed (a log cannot be younger
 * than its own checkpoints).
 */
export function checkNotReplaced(
  log: StreamState,
  firstCheckpointMs: number | undefined,
  out: Discrepancy[],
): void {
  if (log.messages > 0 && log.firstSeq !== 1) {
    out.push({
      index: 0,
      code: 'LOG_REPLACED',
      stream: log.name,
      message: `the ${log.name} stream starts at sequence ${log.firstSeq}, not 1: its beginning was removed or the stream replaced`,
    });
  }
  const created = Date.parse(log.created);
  if (firstCheckpointMs !== undefined && created > firstCheckpointMs + CLOCK_SLACK_MS) {
    out.push({
      index: 0,
      code: 'LOG_REPLACED',
      stream: log.name,
      message: `the ${log.name} stream was created at ${log.created}, after the first checkpoint was signed (${new Date(firstCheckpointMs).toISOString()}): the log was replaced`,
    });
  }
}
