export { NoticeError, type NoticeErrorCode } from './errors.js';
export { personal, nonPersonal, freeText, markOf, type FieldMark } from './fields.js';
export {
  CRIME_AREAS,
  HANDLING_CODES,
  INFORMATION_ACCURACY,
  PRIORITIES,
  SOURCE_RELIABILITY,
  TLP_LABELS,
  MarkingsSchema,
  type CrimeArea,
  type HandlingCode,
  type Markings,
  type Tlp,
} from './markings.js';
export {
  KINDS,
  NOTICE_KINDS,
  isNoticeKind,
  BorderAlertSchema,
  PassengerDataHitSchema,
  ThreatNoticeSchema,
  type BorderAlert,
  type KindDefinition,
  type NoticeBody,
  type NoticeKind,
  type PassengerDataHit,
  type ThreatNotice,
} from './kinds/index.js';
export { LAYER_NAMES, splitLayers, mergeLayers, freeTextFields, type LayerContent, type LayerName, type Layers } from './split.js';
export { findPersonalIdentifier, identifiersOf } from './screen.js';
export { validateNotice, NoticeInputSchema, type NoticeInput, type ValidNotice } from './validate.js';
export { bodyJsonSchema, markingsJsonSchema } from './json-schema.js';
export { exampleNotices } from './examples.js';
