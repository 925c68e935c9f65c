export { type RetentionConfig, RetentionConfigSchema, retentionConfigFromEnv } from './config.js';
export { amendmentRemoval, amendmentTargetOf, type Removal, scheduledRemoval } from './decide-removal.js';
export { RetentionError, type RetentionErrorCode } from './errors.js';
export { type FeedCopy, feedCopyOf } from './feed-copies.js';
export { deleteLedgerRecord } from './ledger-records.js';
export { type RetentionOptions, RetentionService, type SweepReport } from './retention-service.js';
export {
  type RetentionRunConfig,
  type RetentionRunOptions,
  type RunningRetention,
  runRetention,
} from './run.js';
