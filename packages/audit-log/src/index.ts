/** How the logs are read (JetStream directly, or an auditor's log reader): `@liaison/log-reader`. */
export type { LogAccess, LogSource } from '@liaison/log-reader';
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
export { type ContentReport, checkContent } from './content-check.js';
export {
  type AnswerKind,
  defaultWarn,
  type EscalationStage,
  RequestBook,
  type RequestState,
} from './conversations/request-book.js';
export { type Discrepancy, EntryChecker } from './entry-checks.js';
export {
  AUDIT_ENTRY_DOMAIN,
  ERASURE_CODES,
  type ErasureCode,
  erasureEntrySignedBy,
  signErasureEntry,
} from './erasure-entry.js';
export { AuditError, type AuditErrorCode } from './errors.js';
export { type AuditLogOptions, AuditLogService } from './log-service.js';
export { auditorsOf, openAuditorRegistry, requireAuditor } from './operations/auditor-registry.js';
export {
  type AuditCaseItem,
  type AuditCaseThread,
  auditCase,
  type CaseQuery,
  CaseQuerySchema,
} from './operations/case.js';
export {
  auditHistory,
  type HistoryQuery,
  HistoryQuerySchema,
  type HistoryRow,
} from './operations/history.js';
export { latestCheckpoint } from './operations/latest-checkpoint.js';
export { AUDIT_LOG_IDENTITY, type LogKey, logKeyOf } from './operations/log-key.js';
export { type EntryProof, type NoticeProof, ProveQuerySchema, proveNotice } from './operations/prove.js';
export {
  type AgencyStats,
  auditStats,
  requestStats,
  type StatsQuery,
  StatsQuerySchema,
  type StatsReport,
} from './operations/stats.js';
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
export { type AuditLogRunConfig, auditLogConfigFromEnv, type RunningAuditLog, runAuditLog } from './run.js';
export {
  type LogReaderConfig,
  LogReaderConfigSchema,
  type LogReaderRunConfig,
  logReaderConfigFromEnv,
  type RunningLogReader,
  runLogReader,
} from './run-log-reader.js';
export {
  type StationCheckpointQuery,
  StationCheckpointQuerySchema,
  stationCheckpoints,
} from './stations/recorded-checkpoints.js';
export {
  checkStationLog,
  MAX_STATION_NOTE,
  type RecordedStationCheckpoint,
  STATION_ORIGIN_PREFIX,
  type StationLogView,
  verifyStationCheckpoint,
} from './stations/station-checkpoint.js';
