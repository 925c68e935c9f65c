import { verify } from 'node:crypto';
import { type KeyResolver, markingsFromHeader, publicKeyObject, verifyReceipt } from '@liaison/envelope';
import { leafHash, sha256, verifyInclusion } from '@liaison/merkle';
import type { LayerName, NoticeKind } from '@liaison/notice';
import { decide, noticeFacts } from '@liaison/policy';
import { type Registry, resolverOf } from '@liaison/registry';
import {
  AudienceSchema,
  type AuditEntry,
  AuditEntryKind,
  DeliveryGrantSchema,
  fromBinary,
  GrantBatchSchema,
  NoticeHeaderSchema,
} from '@liaison/wire';

export interface Discrepancy {
  /** Leaf index of the record that shows it (or -1 for the log as a whole). */
  index: number;
  code: string;
  message: string;
}

interface Submission {
  header: ReturnType<typeof fromBinary<typeof NoticeHeaderSchema>>;
  headerSha256: Uint8Array;
  audience: ReturnType<typeof fromBinary<typeof AudienceSchema>> | undefined;
  decisions: Map<string, { level: string; layers: string[] }>;
}

const eq = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

/**
 * Re-checks what each audit entry claims, with the registry as it stood: sender
 * signatures on submissions, the gate's countersignatures on deliveries, read
 * receipts, and every decision re-derived with the policy at the recorded
 * revision and time. Content is never needed.
 */
export class EntryChecker {
  private readonly submissions = new Map<string, Submission>();

  /** Batches whose gate signature already verified (one signature covers a whole submission). */
  private readonly verifiedBatches = new Set<string>();

  constructor(private readonly registry: Registry) {}

  /** The grant is a leaf of a batch signed by a valid gate key (each batch's signature checked once). */
  private batchSignatureOk(e: AuditEntry, at: number): boolean {
    let batch: ReturnType<typeof fromBinary<typeof GrantBatchSchema>>;
    try {
      batch = fromBinary(GrantBatchSchema, e.grantBatch);
    } catch {
      return false;
    }
    if (
      !verifyInclusion(Number(e.grantIndex), Number(batch.size), leafHash(e.grant), e.grantPath, batch.root)
    )
      return false;
    const id = Buffer.from(sha256(e.grantBatch, e.grantSignature)).toString('hex');
    if (this.verifiedBatches.has(id)) return true;
    const gateKey = this.resolverAt(at)(batch.gateId, batch.gateKeyId);
    const ok = !!gateKey && verify(null, e.grantBatch, publicKeyObject(gateKey), e.grantSignature);
    if (ok) this.verifiedBatches.add(id);
    return ok;
  }

  private resolverAt(atMs: number): KeyResolver {
    return resolverOf(this.registry.atTime(atMs));
  }

  async check(index: number, e: AuditEntry): Promise<Discrepancy[]> {
    const at = Number(e.atMs);
    const out: Discrepancy[] = [];
    const bad = (code: string, message: string) => out.push({ index, code, message });
    switch (e.kind) {
      case AuditEntryKind.SUBMISSION: {
        const header = fromBinary(NoticeHeaderSchema, e.header);
        const key = this.resolverAt(at)(header.sender, header.senderKeyId);
        if (!key || !verify(null, e.header, publicKeyObject(key), e.headerSignature))
          bad('BAD_SENDER_SIGNATURE', `submission ${e.noticeId}: the sender signature does not verify`);
        if (!eq(sha256(e.header), e.headerSha256))
          bad('HEADER_DIGEST_MISMATCH', `submission ${e.noticeId}: header digest does not match the header`);
        const audience = e.audience.length ? fromBinary(AudienceSchema, e.audience) : undefined;
        if (audience && !eq(sha256(e.audience), header.audienceDigest))
          bad('AUDIENCE_MISMATCH', `submission ${e.noticeId}: audience does not match the signed digest`);
        this.submissions.set(e.noticeId, {
          header,
          headerSha256: e.headerSha256,
          audience,
          decisions: new Map(),
        });
        break;
      }
      case AuditEntryKind.DECISION: {
        const sub = this.submissions.get(e.noticeId);
        if (!sub) {
          bad('ORPHAN_ENTRY', `decision for ${e.noticeId} without its submission`);
          break;
        }
        const h = sub.header;
        const facts = noticeFacts({
          sender: h.sender,
          kind: h.kind as NoticeKind,
          createdAt: Number(h.createdAtMs),
          markings: markingsFromHeader(h)!,
          layers: h.layers.map((l) => l.name as LayerName),
          audience: {
            recipients: sub.audience?.recipients ?? [],
            allow: sub.audience?.allow ?? [],
            deny: sub.audience?.deny ?? [],
          },
        });
        const revision = Number(e.policyRevision);
        const snapshot = revision <= this.registry.current.revision ? this.registry.at(revision) : undefined;
        if (!snapshot) {
          bad(
            'UNKNOWN_REVISION',
            `decision for ${e.recipient} cites registry revision ${revision}, which does not exist`,
          );
          break;
        }
        const d = decide(facts, e.recipient, snapshot, at);
        if (
          d.level !== e.level ||
          d.layers.join() !== e.layers.join() ||
          d.reasons.join() !== e.reasons.join()
        ) {
          bad(
            'DECISION_MISMATCH',
            `${e.noticeId} → ${e.recipient}: recorded ${e.level} [${e.reasons.join(',')}], the policy at revision ${revision} gives ${d.level} [${d.reasons.join(',')}]`,
          );
        }
        sub.decisions.set(e.recipient, { level: d.level, layers: d.layers });
        break;
      }
      case AuditEntryKind.DELIVERY: {
        const sub = this.submissions.get(e.noticeId);
        const decision = sub?.decisions.get(e.recipient);
        if (!sub || !decision) {
          bad(
            'ORPHAN_ENTRY',
            `delivery of ${e.noticeId} to ${e.recipient} without its submission and decision`,
          );
          break;
        }
        if (e.level === 'none') break; // recorded non-delivery (no key wrapped by the sender)
        const grant = fromBinary(DeliveryGrantSchema, e.grant);
        if (!this.batchSignatureOk(e, at)) {
          bad(
            'BAD_COUNTERSIGNATURE',
            `delivery of ${e.noticeId} to ${e.recipient}: the gate signature does not verify`,
          );
        }
        if (
          grant.recipient !== e.recipient ||
          !eq(grant.headerSha256, sub.headerSha256) ||
          grant.noticeId !== e.noticeId
        ) {
          bad(
            'GRANT_MISMATCH',
            `delivery of ${e.noticeId} to ${e.recipient}: the grant is for something else`,
          );
        }
        const allowed =
          decision.level === 'operational'
            ? ['strategic', 'operational']
            : decision.level === 'strategic'
              ? ['strategic']
              : [];
        if (grant.level !== decision.level || grant.grantedLayers.some((l) => !allowed.includes(l))) {
          bad(
            'DELIVERY_EXCEEDS_DECISION',
            `delivery of ${e.noticeId} to ${e.recipient}: granted ${grant.level} [${grant.grantedLayers.join(',')}], the decision allows ${decision.level}`,
          );
        }
        break;
      }
      case AuditEntryKind.READ: {
        try {
          await verifyReceipt(e.readReceipt, this.resolverAt(at));
        } catch {
          bad('BAD_READ_RECEIPT', `read receipt of ${e.noticeId} by ${e.recipient} does not verify`);
        }
        break;
      }
      case AuditEntryKind.REJECTION:
        break;
      default:
        bad('UNKNOWN_ENTRY', `entry of unknown kind ${e.kind}`);
    }
    return out;
  }

  /** Notice ids seen, for history listings. */
  get notices(): ReadonlyMap<string, Submission> {
    return this.submissions;
  }
}
