export type { AmendmentConfirmation, ErasureRequestOptions } from './amendments.js';
export { type CaseItem, type CaseSource, type CaseThread, caseThread } from './case-thread.js';
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
export {
  type HitRecord,
  HitRecordSchema,
  HitResponder,
  loadHitRecords,
  type ResponderClient,
  testQuery,
} from './hit-responder.js';
export { type CachedPlan, MemoryPlanCache, type PlanCache } from './plan-cache.js';
export {
  FileSentJournal,
  MemorySentJournal,
  type SentJournal,
  type SentNotice,
  sentNoticeOf,
} from './sent-journal.js';
export { type CheckpointRecorded, submitCheckpoint } from './station-checkpoint.js';
export { type HitQueryDraft, type MatchConfirmation, TwoStep } from './two-step.js';
export type {
  FeedItem,
  PublishOptions,
  ReadReceiptOptions,
  ReceiptStatus,
  ReceiptTarget,
  ReplayItem,
  SealedSubmission,
} from './types.js';
