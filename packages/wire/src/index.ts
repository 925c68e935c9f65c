/**
 * The wire contracts of Liaison, generated from `proto/liaison/v1/*.proto` by
 * protobuf-es (`pnpm proto:gen`). The .proto files are the source of truth.
 */

export { clone, create, equals, fromBinary } from '@bufbuild/protobuf';
export { isCanonical } from './canonical.js';
export { toBinary } from './encode.js';
export {
  type AuditBatch,
  AuditBatchSchema,
  type AuditEntry,
  AuditEntryKind,
  AuditEntrySchema,
  type Delivery,
  DeliverySchema,
  type LogBlock,
  LogBlockSchema,
  type LogRecord,
  LogRecordSchema,
  type RecipientDecision,
  RecipientDecisionSchema,
} from './gen/liaison/v1/audit_pb.js';
export {
  type AnswerTerms,
  AnswerTermsSchema,
  AnswerType,
  type Audience,
  AudienceSchema,
  Classification,
  type Countersignature,
  CountersignatureSchema,
  type DeliveryGrant,
  DeliveryGrantSchema,
  type EncryptedLayer,
  EncryptedLayerSchema,
  type Envelope,
  EnvelopeSchema,
  type EuropolCopy,
  EuropolCopySchema,
  type GrantBatch,
  GrantBatchSchema,
  HandlingCode,
  InformationAccuracy,
  type KeyWrap,
  KeyWrapSchema,
  type LayerDescriptor,
  LayerDescriptorSchema,
  type NoticeHeader,
  NoticeHeaderSchema,
  type OnwardPermission,
  OnwardPermissionSchema,
  PermissionDecision,
  type PnrTransfer,
  PnrTransferSchema,
  Priority,
  type Provenance,
  ProvenanceSchema,
  Relation,
  type RequestTerms,
  RequestTermsSchema,
  SourceReliability,
  Tlp,
} from './gen/liaison/v1/envelope_pb.js';
