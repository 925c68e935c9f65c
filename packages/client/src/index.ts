export type { AmendmentConfirmation, ErasureRequestOptions } from './amendments.js';
export {
  type ClientOptions,
  LiaisonClient,
  type PlanRecipient,
  sealRecipientsOf,
} from './client.js';
export {
  Conversation,
  inheritMarkings,
  type NoticeDraft,
  type NoticeRef,
  noticeRefOf,
  provenanceOf,
  savedNotice,
  withEuropolCopy,
} from './conversation.js';
export { Directory } from './directory.js';
export { ClientError, type ClientErrorCode } from './errors.js';
export { type CachedPlan, MemoryPlanCache, type PlanCache } from './plan-cache.js';
export { type CheckpointRecorded, submitCheckpoint } from './station-checkpoint.js';
export type {
  FeedItem,
  PublishOptions,
  ReadReceiptOptions,
  ReceiptStatus,
  ReceiptTarget,
  ReplayItem,
  SealedSubmission,
} from './types.js';
