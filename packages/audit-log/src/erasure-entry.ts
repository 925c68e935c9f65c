import {
  type AgencyKeys,
  ed25519Sign,
  ed25519Verify,
  type PublicKeyRecord,
  publicKeyObject,
} from '@liaison/envelope';
import { type AuditEntry, AuditEntrySchema, clone, toBinary } from '@liaison/wire';

const DOMAIN = new TextEncoder().encode('liaison-erasure-v1\n');

/** Why a delivery was removed from FEED (the erasure entry's `code`). */
export const ERASURE_CODES = [
  /** The notice's retention class ended (deleteAt). */
  'RETENTION_ENDED',
  /** The delivery window ended: the exchange holds a delivery only that long. */
  'DELIVERY_WINDOW_ENDED',
  /** An operational PNR copy reached its depersonalisation date: the exchange cannot mask ciphertext. */
  'DEPERSONALISATION_DUE',
  /** The provider asked for the notice's erasure (an erasure-request notice). */
  'ERASURE_REQUESTED',
  /** The provider rectified the notice: the old copy is replaced by the rectification. */
  'RECTIFIED',
  /**
   * The notice's delivery-ledger record was deleted at the end of its class (no
   * recipient, no FEED message: `recipient` and `envelope_sha256` are empty).
   */
  'LEDGER_RECORD_ENDED',
] as const;
export type ErasureCode = (typeof ERASURE_CODES)[number];

function signedBytes(e: AuditEntry): Uint8Array {
  const unsigned = clone(AuditEntrySchema, e);
  unsigned.signature = new Uint8Array(0);
  const body = toBinary(AuditEntrySchema, unsigned);
  const out = new Uint8Array(DOMAIN.length + body.length);
  out.set(DOMAIN);
  out.set(body, DOMAIN.length);
  return out;
}

/** Signs an erasure entry in place with the recorder's (the retention service's) signing key. */
export function signErasureEntry(e: AuditEntry, keys: AgencyKeys): AuditEntry {
  e.signature = ed25519Sign(keys.signing.privateKey, signedBytes(e));
  return e;
}

/** Whether an erasure entry is signed by this signing key. */
export function erasureEntrySignedBy(e: AuditEntry, key: PublicKeyRecord): boolean {
  if (key.use !== 'sig' || e.signature.length !== 64) return false;
  try {
    return ed25519Verify(publicKeyObject(key), signedBytes(e), e.signature);
  } catch {
    return false;
  }
}

/** The domain string every audit entry carries. */
export const AUDIT_ENTRY_DOMAIN = 'liaison.v1.AuditEntry';
