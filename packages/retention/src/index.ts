export { type RetentionConfig, RetentionConfigSchema, retentionConfigFromEnv } from './config.js';
export { type Amendments, collectAmendments, type Removal, removalOf } from './decide-removal.js';
export { RetentionError, type RetentionErrorCode } from './errors.js';
export { type FeedCopy, feedCopyOf } from './feed-copies.js';
export { type RetentionOptions, RetentionService, type SweepReport } from './retention-service.js';
export {
  type RetentionRunConfig,
  type RetentionRunOptions,
  type RunningRetention,
  runRetention,
} from './run.js';
