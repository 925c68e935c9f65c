import { isStreamMissing } from '@liaison/log-reader';
import { AuditError } from '../errors.js';

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
