export { EnvelopeError, type EnvelopeErrorCode } from './errors.js';
export {
  type AgencyKeyFile,
  type AgencyKeys,
  type KeyPair,
  type KeyUse,
  type PublicKeyRecord,
  type Validity,
  AgencyKeyFileSchema,
  agencyKeysFromSecrets,
  exportAgencyKeyFile,
  fromJwks,
  generateAgencyKeys,
  importAgencyKeyFile,
  keyState,
  thumbprint,
  toJwks,
} from './keys.js';
export { seal, HEADER_DOMAIN, type AudienceRequest, type SealOptions, type SealRecipient, type Sealed } from './seal.js';
export { verifyHeader, type KeyResolver, type VerifiedEnvelope, type VerifyOptions } from './verify-header.js';
export { restrictTo, type Restricted } from './restrict.js';
export { countersign, verifyCountersignature, GRANT_DOMAIN, type GrantInput, type VerifiedGrant } from './countersign.js';
export { open, type OpenOptions, type OpenedNotice } from './open.js';
export { decodeEnvelope, decodeHeader } from './decode.js';
export { markingsFromHeader } from './markings-codec.js';
export { uuidv7 } from './uuid7.js';
