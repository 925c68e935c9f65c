export {
  EMPTY_ROOT,
  leafHash,
  MerkleTree,
  nodeHash,
  sha256,
  splitPoint,
  verifyConsistency,
  verifyInclusion,
} from '@liaison/merkle';
export { type VerifyLogOptions, type VerifyReport, verifyLog } from './auditor.js';
export {
  type Checkpoint,
  checkpointBody,
  type NoteKey,
  noteKeyHash,
  signCheckpoint,
  verifyCheckpoint,
} from './checkpoint.js';
export { type AuditLogConfig, AuditLogConfigSchema } from './config.js';
export { type Discrepancy, EntryChecker } from './entry-checks.js';
export { AuditError, type AuditErrorCode } from './errors.js';
export { type AuditLogOptions, AuditLogService } from './log-service.js';
export { readRecords, readStream } from './read-log.js';
export {
  type DecodedRecord,
  decodeBlock,
  decodeRecord,
  encodeBlock,
  encodeRecord,
  MAX_BLOCK_BYTES,
  ZERO_HASH,
} from './records.js';
