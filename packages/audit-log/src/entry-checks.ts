import {
  ed25519Verify,
  grantBlock,
  type KeyResolver,
  markingsFromHeader,
  type PublicKeyRecord,
  publicKeyObject,
  verifyReceipt,
} from '@liaison/envelope';
import { sha256, verifySubtreeInclusion } from '@liaison/merkle';
import { isNoticeKind } from '@liaison/notice';
import { type Decision, decide, type NoticeFacts } from '@liaison/policy';
import { keysOf, type Registry, resolverOf } from '@liaison/registry';
import {
  type Audience,
  AudienceSchema,
  type AuditEntry,
  AuditEntryKind,
  type DeliveryGrant,
  DeliveryGrantSchema,
  fromBinary,
  type GrantBatch,
  GrantBatchSchema,
  NoticeHeaderSchema,
} from '@liaison/wire';
import { ERASURE_CODES, erasureEntrySignedBy } from './erasure-entry.js';
import { submissionFacts } from './origin-facts.js';
import { checkStationEntry } from './stations/station-entry.js';

export interface Discrepancy {
  /** Leaf index of the record that shows it (or -1 for the log as a whole). */
  index: number;
  code: string;
  message: string;
  /** The stream it concerns, for findings about a stream as a whole (LOG_MISSING, LOG_REPLACED). */
  stream?: string;
}

interface CachedBatch {
  bytes: Uint8Array;
  batch: GrantBatch;
  /** The kid of the gate key whose signature over these bytes verified. */
  signedBy?: string;
}

type Header = ReturnType<typeof fromBinary<typeof NoticeHeaderSchema>>;

const eq = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(a, b) === 0;
const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

const ALLOWED_LAYERS: Record<string, readonly string[]> = {
  operational: ['strategic', 'operational'],
  strategic: ['strategic'],
};

/**
 * Re-checks what each audit entry claims, with the registry as it stood: the
 * sender's signature and the gate's countersignature of each submission, read
 * receipts, and every decision re-derived with the policy at the recorded
 * revision and time. Content is never needed. Entries are independent of each
 * other, so that a replay can check them in several threads at once.
 */
export class EntryChecker {
  /**
   * Gate batches by their signature: one batch covers all the submissions the gate
   * handled at once, so it is decoded once and its signature checked once (per key).
   * A hit must also have the same batch bytes; anything else is decoded and checked
   * afresh. Keyed by the 64-byte signature, which is cheap when every submission has a
   * batch of its own (notices arriving one at a time).
   */
  private readonly batches = new Map<string, CachedBatch>();

  constructor(private readonly registry: Registry) {}

  /** The entry's discrepancies (none if it checks out); only read receipts need to wait (jose). */
  check(index: number, e: AuditEntry): Discrepancy[] | Promise<Discrepancy[]> {
    const out: Discrepancy[] = [];
    const bad = (code: string, message: string) => out.push({ index, code, message });
    switch (e.kind) {
      case AuditEntryKind.SUBMISSION:
        this.checkSubmission(e, bad);
        break;
      case AuditEntryKind.READ:
        return verifyReceipt(e.readReceipt, this.resolverAt(Number(e.atMs))).then(
          ({ receipt }) => {
            // The entry must say what the receipt says: it is what history and proofs show.
            const hex = Buffer.from(e.headerSha256).toString('hex');
            const matches =
              receipt.type === 'read' &&
              receipt.noticeId === e.noticeId &&
              receipt.sender === e.sender &&
              receipt.recipient === e.recipient &&
              receipt.headerSha256 === hex;
            if (!matches)
              bad('BAD_READ_RECEIPT', `read receipt of ${e.noticeId} by ${e.recipient} is for another read`);
            return out;
          },
          () => {
            bad('BAD_READ_RECEIPT', `read receipt of ${e.noticeId} by ${e.recipient} does not verify`);
            return out;
          },
        );
      case AuditEntryKind.REJECTION:
        break;
      case AuditEntryKind.ERASURE:
        this.checkErasure(e, bad);
        break;
      case AuditEntryKind.ESCALATION:
        this.checkEscalation(e, bad);
        break;
      case AuditEntryKind.STATION_CHECKPOINT:
        checkStationEntry(e, this.registry, bad);
        break;
      default:
        bad('UNKNOWN_ENTRY', `entry of unknown kind ${e.kind}`);
    }
    return out;
  }

  /**
   * An erasure entry on its own: recorded by an identity with the `retention` role at
   * that time, signed by one of its signing keys valid then, with a known reason, and
   * not before the time it says the copy's retention ended. Whether it matches a
   * delivery, and whether that delivery is gone from FEED, is `verifyLog`'s content
   * check (it needs other entries and the stream).
   */
  private checkErasure(e: AuditEntry, bad: (code: string, message: string) => void): void {
    const at = Number(e.atMs);
    const what = `erasure of ${e.noticeId} for ${e.recipient}`;
    const snapshot = this.registry.atTime(at);
    const recorder = snapshot.agencies.get(e.gateId);
    const signed =
      recorder?.roles.includes('retention') === true &&
      keysOf(snapshot, e.gateId).some(
        (k) =>
          k.use === 'sig' &&
          at >= k.notBefore &&
          (k.notAfter === undefined || at < k.notAfter) &&
          (k.revokedAt === undefined || k.revokedAt > at) &&
          erasureEntrySignedBy(e, k),
      );
    if (!signed) bad('BAD_ERASURE_SIGNATURE', `${what}: not signed by a retention identity valid then`);
    if (!(ERASURE_CODES as readonly string[]).includes(e.code))
      bad('MALFORMED_ENTRY', `${what}: unknown reason "${e.code}"`);
    else if ((e.code === 'ERASURE_REQUESTED' || e.code === 'RECTIFIED') !== (e.amendmentId !== ''))
      bad('MALFORMED_ENTRY', `${what}: an amendment erasure names its amendment, no other does`);
    if (Number(e.retentionEndsAtMs) > at)
      bad('ERASED_EARLY', `${what}: recorded at ${new Date(at).toISOString()}, before its retention ended`);
  }

  /** An escalation is written by the deadline service (a registered identity with that role), about a request. */
  private checkEscalation(e: AuditEntry, bad: (code: string, message: string) => void): void {
    const writer = this.registry.atTime(Number(e.atMs)).agencies.get(e.gateId);
    if (!writer?.roles.includes('deadlines'))
      bad(
        'ESCALATION_BY_UNKNOWN',
        `escalation of ${e.noticeId}: written by ${e.gateId}, not a deadline service`,
      );
    if (e.code !== 'DUE_SOON' && e.code !== 'OVERDUE')
      bad('MALFORMED_ENTRY', `escalation of ${e.noticeId}: unknown stage "${e.code}"`);
  }

  private resolverAt(atMs: number): KeyResolver {
    return resolverOf(this.registry.atTime(atMs));
  }

  /** A gate batch, decoded once for all the submissions it covers (undefined if malformed). */
  private batchOf(bytes: Uint8Array, signature: Uint8Array): CachedBatch | undefined {
    const id = Buffer.from(signature).toString('latin1');
    const known = this.batches.get(id);
    if (known && eq(known.bytes, bytes)) return known;
    let batch: GrantBatch;
    try {
      batch = fromBinary(GrantBatchSchema, bytes);
    } catch {
      return undefined;
    }
    if (this.batches.size >= 4096) this.batches.clear();
    const cached = { bytes, batch };
    this.batches.set(id, cached);
    return cached;
  }

  /** The gate's signature over a batch, verified once per key. */
  private batchSignedBy(cached: CachedBatch, key: PublicKeyRecord, signature: Uint8Array): boolean {
    if (cached.signedBy === key.kid) return true;
    if (!this.signedBy(key, cached.bytes, signature)) return false;
    cached.signedBy = key.kid;
    return true;
  }

  /** Ed25519 signature by a registered signing key (its KeyObject cached by the envelope package). */
  private signedBy(key: PublicKeyRecord, message: Uint8Array, signature: Uint8Array): boolean {
    if (key.use !== 'sig') return false;
    try {
      return ed25519Verify(publicKeyObject(key), message, signature);
    } catch {
      return false; // a malformed published key verifies nothing
    }
  }

  private checkSubmission(e: AuditEntry, bad: (code: string, message: string) => void): void {
    const at = Number(e.atMs);
    let header: Header;
    try {
      header = fromBinary(NoticeHeaderSchema, e.header);
    } catch {
      bad('MALFORMED_ENTRY', `submission ${e.noticeId}: the recorded header cannot be decoded`);
      return;
    }
    const key = this.resolverAt(at)(header.sender, header.senderKeyId);
    const unsigned = `submission ${e.noticeId}: the sender signature does not verify`;
    if (!key || !this.signedBy(key, e.header, e.headerSignature)) bad('BAD_SENDER_SIGNATURE', unsigned);
    if (header.noticeId !== e.noticeId || header.sender !== e.sender)
      bad(
        'HEADER_MISMATCH',
        `submission ${e.noticeId}: the entry names another notice or sender than its header`,
      );
    if (!eq(sha256(e.header), e.headerSha256))
      bad('HEADER_DIGEST_MISMATCH', `submission ${e.noticeId}: header digest does not match the header`);
    // The gate accepts a submission only with its audience (verifySubmission): one missing is altered.
    if (!eq(sha256(e.audience), header.audienceDigest))
      bad('AUDIENCE_MISMATCH', `submission ${e.noticeId}: audience does not match the signed digest`);
    let audience: Audience | undefined;
    try {
      audience = e.audience.length ? fromBinary(AudienceSchema, e.audience) : undefined;
    } catch {
      bad('MALFORMED_ENTRY', `submission ${e.noticeId}: the recorded audience cannot be decoded`);
      return;
    }
    // Decisions are re-derived from the header's markings: without them there is nothing to re-derive.
    if (!markingsFromHeader(header) || !isNoticeKind(header.kind)) {
      bad('MALFORMED_ENTRY', `submission ${e.noticeId}: the recorded header has no valid markings or kind`);
      return;
    }
    const facts = this.factsOf(e, header, audience, bad);
    if (!facts) return;
    const decisions = this.checkDecisions(e, facts, bad);
    if (decisions) this.checkDeliveries(e, decisions, bad);
  }

  /** The facts the gate had to decide on (with the notice a reply or forward names: origin-facts.ts). */
  private factsOf(
    e: AuditEntry,
    header: Header,
    audience: Audience | undefined,
    bad: (code: string, message: string) => void,
  ): NoticeFacts | undefined {
    return submissionFacts(e, header, audience, bad, (h, bytes, signature) => {
      const key = this.resolverAt(Number(h.createdAtMs))(h.sender, h.senderKeyId);
      return !!key && this.signedBy(key, bytes, signature);
    });
  }

  /** Re-derives each recorded decision; returns them by recipient (as re-derived). */
  private checkDecisions(
    e: AuditEntry,
    facts: NoticeFacts,
    bad: (code: string, message: string) => void,
  ): Map<string, Decision> | undefined {
    const revision = Number(e.policyRevision);
    if (revision > this.registry.current.revision || revision < 1) {
      bad(
        'UNKNOWN_REVISION',
        `${e.noticeId}: the decisions cite registry revision ${revision}, which does not exist`,
      );
      return undefined;
    }
    const snapshot = this.registry.at(revision);
    const derived = new Map<string, Decision>();
    for (const r of e.decisions) {
      const d = decide(facts, r.recipient, snapshot, Number(e.atMs));
      if (d.level !== r.level || !sameList(d.layers, r.layers) || !sameList(d.reasons, r.reasons)) {
        bad(
          'DECISION_MISMATCH',
          `${e.noticeId} → ${r.recipient}: recorded ${r.level} [${r.reasons.join(',')}], the policy at revision ${revision} gives ${d.level} [${d.reasons.join(',')}]`,
        );
      }
      // Wire 1.1 entries record the legal basis of each transfer; 1.0 entries have none.
      if (r.legalBasis !== '' && r.legalBasis !== (d.legalBasis ?? ''))
        bad(
          'LEGAL_BASIS_MISMATCH',
          `${e.noticeId} → ${r.recipient}: recorded legal basis "${r.legalBasis}", the policy at revision ${revision} gives "${d.legalBasis ?? ''}"`,
        );
      derived.set(r.recipient, d);
    }
    // The gate records every recipient the policy gives something to: none may be left out.
    for (const recipient of snapshot.agencies.keys()) {
      if (derived.has(recipient)) continue;
      const d = decide(facts, recipient, snapshot, Number(e.atMs));
      if (d.level !== 'none')
        bad(
          'DECISION_MISMATCH',
          `${e.noticeId} → ${recipient}: nothing recorded, the policy at revision ${revision} gives ${d.level} [${d.reasons.join(',')}]`,
        );
    }
    return derived;
  }

  /** Each grant is for this notice and recipient, within its decision, and the batch the gate signed holds exactly these grants. */
  private checkDeliveries(
    e: AuditEntry,
    decisions: Map<string, Decision>,
    bad: (code: string, message: string) => void,
  ): void {
    const grants: Uint8Array[] = [];
    for (const delivery of e.deliveries) {
      const decision = decisions.get(delivery.recipient);
      const what = `delivery of ${e.noticeId} to ${delivery.recipient}`;
      if (!decision) {
        bad('DELIVERY_WITHOUT_DECISION', `${what}: no decision was recorded for this recipient`);
        continue;
      }
      if (delivery.grant.length === 0) {
        if (!delivery.code) bad('GRANT_MISSING', `${what}: neither a grant nor a reason for its absence`);
        continue;
      }
      grants.push(delivery.grant);
      let grant: DeliveryGrant;
      try {
        grant = fromBinary(DeliveryGrantSchema, delivery.grant);
      } catch {
        bad('GRANT_MISMATCH', `${what}: the grant cannot be decoded`);
        continue;
      }
      if (
        grant.recipient !== delivery.recipient ||
        grant.noticeId !== e.noticeId ||
        !eq(grant.headerSha256, e.headerSha256)
      )
        bad('GRANT_MISMATCH', `${what}: the grant is for something else`);
      const allowed = ALLOWED_LAYERS[decision.level] ?? [];
      if (grant.level !== decision.level || grant.grantedLayers.some((l) => !allowed.includes(l))) {
        bad(
          'DELIVERY_EXCEEDS_DECISION',
          `${what}: granted ${grant.level} [${grant.grantedLayers.join(',')}], the decision allows ${decision.level}`,
        );
      }
    }
    // Each recipient the policy gave something to has a delivery (a grant, or the reason there is none).
    const delivered = new Set(e.deliveries.map((d) => d.recipient));
    for (const [recipient, d] of decisions) {
      if (d.level !== 'none' && !delivered.has(recipient))
        bad(
          'GRANT_MISSING',
          `delivery of ${e.noticeId} to ${recipient}: decided ${d.level}, but no delivery recorded`,
        );
    }
    if (grants.length === 0) return;
    // The submission's block: its grants, padded to a power of two.
    const block = grantBlock(grants);
    this.checkBatch(e, block.root, block.level, bad);
  }

  private checkBatch(
    e: AuditEntry,
    blockRoot: Uint8Array,
    level: number,
    bad: (code: string, message: string) => void,
  ): void {
    const unsigned = `submission ${e.noticeId}: the gate signature over its deliveries does not verify`;
    const cached = this.batchOf(e.grantBatch, e.grantSignature);
    if (!cached) {
      bad('BAD_COUNTERSIGNATURE', unsigned);
      return;
    }
    const { batch } = cached;
    const offset = Number(e.grantBlockOffset);
    if (!verifySubtreeInclusion(offset, level, Number(batch.size), blockRoot, e.grantBlockPath, batch.root))
      bad(
        'GRANT_MISMATCH',
        `submission ${e.noticeId}: the signed batch does not hold exactly the recorded grants`,
      );
    const snapshot = this.registry.atTime(Number(e.atMs));
    const isGate = snapshot.agencies.get(batch.gateId)?.roles.includes('gate') ?? false;
    const gateKey = isGate ? resolverOf(snapshot)(batch.gateId, batch.gateKeyId) : undefined;
    if (
      batch.domain !== 'liaison.v1.GrantBatch' ||
      batch.gateId !== e.gateId ||
      !gateKey ||
      !this.batchSignedBy(cached, gateKey, e.grantSignature)
    )
      bad('BAD_COUNTERSIGNATURE', unsigned);
  }
}
