export { AIRPORT_COUNTRY } from './airports.js';
export { COARSENING_RULES, COARSENINGS, type CoarseningRule, coarsen } from './coarsening.js';
export { type ConversationTerms, conversationTerms } from './conversation/derive.js';
export {
  ANSWER_OUTCOMES,
  type AnswerOutcome,
  DATA_CATEGORIES,
  type DataCategory,
  EUROPOL_AGENCY,
  EUROPOL_COPY_REASONS,
  type EuropolCopyReason,
  PERMISSION_DECISIONS,
  type PermissionDecisionName,
  REFUSAL_GROUNDS,
  REQUEST_DEADLINES_MS,
  type RefusalGround,
  requestDeadlineMs,
  requestDueAt,
} from './conversation/terms.js';
export { NoticeError, type NoticeErrorCode } from './errors.js';
export {
  type FieldMark,
  freeText,
  markOf,
  nonPersonal,
  personal,
  pnrMasked,
  quasiIdentifier,
} from './fields.js';
export {
  HIT_IDENTIFIER_TYPES,
  HIT_RESULTS,
  type HitIdentifier,
  HitIdentifierSchema,
  type HitIdentifierType,
  type HitResultName,
  hitDigest,
  hitProbe,
  matchesProbe,
  normaliseIdentifier,
} from './hits/identifiers.js';
export { bodyJsonSchema, markingsJsonSchema } from './json-schema.js';
export {
  type Answer,
  AnswerSchema,
  type BorderAlert,
  BorderAlertSchema,
  type HitAnswer,
  HitAnswerSchema,
  type HitQuery,
  HitQuerySchema,
  type InformationRequest,
  InformationRequestSchema,
  isNoticeKind,
  KINDS,
  type KindDefinition,
  NOTICE_KINDS,
  type NoticeBody,
  type NoticeKind,
  type OnwardPermissionBody,
  OnwardPermissionSchema,
  type PassengerDataHit,
  PassengerDataHitSchema,
  type ThreatNotice,
  ThreatNoticeSchema,
} from './kinds/index.js';
export { LEGAL_LIMITS } from './legal-limits.js';
export {
  CRIME_AREAS,
  type CrimeArea,
  HANDLING_CODES,
  type HandlingCode,
  INFORMATION_ACCURACY,
  type Markings,
  MarkingsSchema,
  PRIORITIES,
  SealedMarkingsSchema,
  SOURCE_RELIABILITY,
  TLP_LABELS,
  type Tlp,
} from './markings.js';
export { maskPnr, PNR_MASK, pnrMaskedFields } from './pnr-masking.js';
export {
  classifyIdentifier,
  DEFAULT_FUNCTIONAL_CONTACTS,
  findPersonalIdentifier,
  type IdentifierClass,
  type OwnValues,
  ownValuesOf,
  type ScreeningOptions,
} from './screening/screen.js';
export {
  CLASSIFICATIONS,
  type Classification,
  classificationRank,
  DEFAULT_ACCREDITATION,
  derivedSources,
  LEGAL_BASES,
  type LegalBasis,
  SOURCES,
  type Source,
} from './sources.js';
export {
  fieldLayers,
  freeTextFields,
  holdsPersonalData,
  LAYER_NAMES,
  type LayerContent,
  type LayerName,
  type Layers,
  mergeLayers,
  splitLayers,
  strategicFields,
  strategicView,
} from './split.js';
export {
  type NoticeInput,
  NoticeInputSchema,
  screenNotice,
  type ValidateOptions,
  type ValidNotice,
  validateNotice,
} from './validate.js';
