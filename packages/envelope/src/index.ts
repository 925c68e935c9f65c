export {
  conversationFromHeader,
  type HeaderTerms,
  type ProvenanceRequest,
  priorityOf,
  sameTerms,
} from './conversation-codec.js';
export {
  BATCH_DOMAIN,
  type Countersigned,
  type CountersignedGroup,
  countersign,
  countersignBatch,
  countersignGroups,
  GRANT_DOMAIN,
  type GrantInput,
  type GroupBlock,
  grantBlock,
  PADDING_LEAF,
  type VerifiedGrant,
  verifyCountersignature,
} from './countersign.js';
export {
  DEADLINE_TYP,
  type DeadlineReport,
  DeadlineReportSchema,
  isDeadlineReport,
  signDeadlineReport,
  verifyDeadlineReport,
} from './deadline-report.js';
export { decodeEnvelope, decodeHeader } from './decode.js';
export { EnvelopeError, type EnvelopeErrorCode } from './errors.js';
export {
  type AgencyKeyFile,
  AgencyKeyFileSchema,
  type AgencyKeys,
  agencyKeysFromSecrets,
  exportAgencyKeyFile,
  fromJwks,
  generateAgencyKeys,
  importAgencyKeyFile,
  type KeyPair,
  type KeyUse,
  keyState,
  type PublicKeyRecord,
  publicKeyObject,
  thumbprint,
  toJwks,
  type Validity,
} from './keys.js';
export { markingsFromHeader, SEALED_MARKINGS_KEY, type SealedMarkings } from './markings-codec.js';
export { type OpenedAmendment, type OpenedNotice, type OpenOptions, open } from './open.js';
export { ed25519Sign, ed25519Verify, sha256 } from './primitives.js';
export {
  type ReaderRef,
  ReaderRefSchema,
  type ReadReceipt,
  ReadReceiptSchema,
  type SubmissionReceipt,
  SubmissionReceiptSchema,
  signReceipt,
  verifyReceipt,
} from './receipts.js';
export { type Restricted, restrictTo } from './restrict.js';
export {
  AMENDMENT_REASONS,
  type AmendmentReason,
  type AmendmentRequest,
  type AudienceRequest,
  AudienceRequestSchema,
  erasureRequestNotice,
  HEADER_DOMAIN,
  type PnrTransferRequest,
  PnrTransferSchema,
  type Sealed,
  type SealOptions,
  type SealRecipient,
  seal,
} from './seal.js';
export { UUID_PATTERN, uuidv7 } from './uuid7.js';
export {
  type KeyResolver,
  type VerifiedEnvelope,
  type VerifyOptions,
  verifyHeader,
} from './verify-header.js';
