export { NoticeError, type NoticeErrorCode } from './errors.js';
export { type FieldMark, freeText, markOf, nonPersonal, personal } from './fields.js';
export { bodyJsonSchema, markingsJsonSchema } from './json-schema.js';
export {
  type BorderAlert,
  BorderAlertSchema,
  isNoticeKind,
  KINDS,
  type KindDefinition,
  NOTICE_KINDS,
  type NoticeBody,
  type NoticeKind,
  type PassengerDataHit,
  PassengerDataHitSchema,
  type ThreatNotice,
  ThreatNoticeSchema,
} from './kinds/index.js';
export {
  CRIME_AREAS,
  type CrimeArea,
  HANDLING_CODES,
  type HandlingCode,
  INFORMATION_ACCURACY,
  type Markings,
  MarkingsSchema,
  PRIORITIES,
  SOURCE_RELIABILITY,
  TLP_LABELS,
  type Tlp,
} from './markings.js';
export { findPersonalIdentifier, identifiersOf } from './screen.js';
export {
  freeTextFields,
  LAYER_NAMES,
  type LayerContent,
  type LayerName,
  type Layers,
  mergeLayers,
  splitLayers,
} from './split.js';
export { type NoticeInput, NoticeInputSchema, type ValidNotice, validateNotice } from './validate.js';
