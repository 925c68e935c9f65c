export { LogReadError, type LogReadErrorCode } from './errors.js';
export {
  type Batch,
  decodeBatch,
  encodeBatch,
  encodeError,
  MAX_BATCH_BYTES,
  MAX_BATCH_MESSAGES,
  type ReadRequest,
  ReadRequestSchema,
} from './frame.js';
export {
  directLog,
  isLogSource,
  isStreamMissing,
  type LogAccess,
  type LogSource,
  logSourceOf,
  type StoredMessage,
  type StreamState,
} from './log-source.js';
export { type LogReaderOptions, LogReaderService } from './reader-service.js';
export { type RemoteLogOptions, remoteLog } from './remote-log.js';
