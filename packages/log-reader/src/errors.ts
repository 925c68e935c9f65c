import { LiaisonError } from '@liaison/core';

export type LogReadErrorCode =
  /** A read request the reader refuses (shape, a stream it does not serve). */
  | 'BAD_REQUEST'
  /** The stream does not exist. */
  | 'STREAM_MISSING'
  /** The log reader did not answer (not running, or not reachable from this account). */
  | 'READER_UNAVAILABLE'
  /** An answer that is not a well-formed batch (sequences out of order, lengths that do not add up). */
  | 'BAD_ANSWER';

const CODES: readonly LogReadErrorCode[] = [
  'BAD_REQUEST',
  'STREAM_MISSING',
  'READER_UNAVAILABLE',
  'BAD_ANSWER',
];

/** A code received from the reader, if it is one of ours (else BAD_ANSWER). */
export function logReadErrorCode(code: unknown): LogReadErrorCode {
  return CODES.includes(code as LogReadErrorCode) ? (code as LogReadErrorCode) : 'BAD_ANSWER';
}

export class LogReadError extends LiaisonError<LogReadErrorCode> {}
