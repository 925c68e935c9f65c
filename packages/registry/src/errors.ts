import { LiaisonError } from '@liaison/core';

export type RegistryErrorCode =
  | 'INVALID_EVENT'
  | 'BAD_SIGNATURE'
  | 'UNKNOWN_ADMIN'
  | 'NOT_AN_ANCHOR'
  | 'OUT_OF_ORDER'
  | 'DUPLICATE_EVENT'
  | 'FOUR_EYES_REQUIRED'
  | 'UNKNOWN_PROPOSAL'
  | 'UNKNOWN_AGENCY'
  | 'AGENCY_EXISTS'
  | 'UNKNOWN_KEY'
  | 'KEY_EXISTS'
  | 'CONFLICT'
  | 'STORE_FAILED'
  /** An agency's kind disagrees with its country or the fixed lists (docs/policy.md). */
  | 'INTEGRITY_VIOLATION'
  /** A registration request that is not one (a compact JWS of that type with a valid payload). */
  | 'INVALID_REQUEST'
  /** A registration request not signed by the signing key it registers (tampered, or signed by another key). */
  | 'BAD_REQUEST_SIGNATURE'
  /** A registration request too old, or dated in the future. */
  | 'STALE_REQUEST'
  /** An operation's input does not validate; the issues say where. */
  | 'INVALID_INPUT';

/** A policy event refused, or a registry operation that failed. The registry is left unchanged. */
export class RegistryError extends LiaisonError<RegistryErrorCode> {}
