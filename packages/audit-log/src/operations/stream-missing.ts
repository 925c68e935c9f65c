import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { AuditError } from '../errors.js';

/** True when a JetStream call failed because the stream does not exist (by the server's API code). */
export function isStreamMissing(err: unknown): boolean {
  return err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound;
}

/** Runs a read of `stream`, turning "stream not found" into AuditError LOG_MISSING. */
export async function readingStream<T>(stream: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isStreamMissing(err))
      throw new AuditError('LOG_MISSING', `the ${stream} stream does not exist`, { cause: err });
    throw err;
  }
}
