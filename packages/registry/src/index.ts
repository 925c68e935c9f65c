export { type ApplyOptions, applyEvent } from './apply-event.js';
export { type BootstrapInput, bootstrapDirectory, type KeySink } from './bootstrap.js';
export { RegistryError, type RegistryErrorCode } from './errors.js';
export {
  type Change,
  ChangeSchema,
  EVENT_TYPES,
  type EventData,
  type EventType,
  type KeySpec,
  KeySpecSchema,
  type PolicyEvent,
  PolicyEventSchema,
} from './events.js';
export { checkIntegrity, integrityIssues } from './integrity.js';
export {
  type Administrator,
  AGENCY_KINDS,
  type Agency,
  AgencyIdSchema,
  type AgencyKind,
  AgencySchema,
  type Agreement,
  type AgreementRecord,
  AgreementSchema,
  canonicalCountry,
  EU_BODIES,
  EU_MEMBER_STATES,
  isMemberState,
  LEVEL_RANK,
  LEVELS,
  type Level,
  type Proposal,
  ROLES,
  type Role,
  sameCountry,
} from './model.js';
export {
  type AddAgencyInput,
  AddAgencyInputSchema,
  type AddAgencyResult,
  addAgency,
} from './operations/add-agency.js';
export {
  type ApproveProposalInput,
  ApproveProposalInputSchema,
  approveProposal,
  type EndAgreementInput,
  EndAgreementInputSchema,
  endAgreement,
  type ProposeAgreementInput,
  ProposeAgreementInputSchema,
  type ProposeAgreementResult,
  proposeAgreement,
} from './operations/agreements.js';
export {
  type ApproveChangeInput,
  ApproveChangeInputSchema,
  approveChange,
} from './operations/changes.js';
export {
  type RegisterKeysInput,
  RegisterKeysInputSchema,
  type RevokeKeyInput,
  RevokeKeyInputSchema,
  type RotateKeysInput,
  RotateKeysInputSchema,
  type RotateKeysResult,
  registerKeys,
  revokeKey,
  rotateKeys,
} from './operations/keys.js';
export { type PublicKeys, PublicKeysSchema } from './operations/public-keys.js';
export {
  makeRegistrationRequest,
  type ProposeRegistrationInput,
  ProposeRegistrationInputSchema,
  proposeRegistration,
  REGISTRATION_REQUEST_MAX_AGE_MS,
  REGISTRATION_REQUEST_TYPE,
  type RegistrationRequest,
  RegistrationRequestSchema,
  type VerifiedRegistrationRequest,
  type VerifyRequestOptions,
  verifyRegistrationRequest,
} from './operations/registration-request.js';
export { type AppliedEvent, Registry } from './registry.js';
export { type AdminIdentity, keySpec, type SeedInput, seedDirectory } from './seed.js';
export { eventHash, signEvent } from './sign-event.js';
export {
  activeAdmin,
  activeAdmins,
  agreementAt,
  type ChangeProposal,
  currentKey,
  emptySnapshot,
  keysOf,
  latestAgreement,
  type RegistrySnapshot,
  resolverOf,
} from './snapshot.js';
export { PolicyStore, type PolicyStoreOptions, type RejectedEvent } from './store.js';
