import type { Logger } from '@liaison/core';
import {
  type AgencyKeys,
  EnvelopeError,
  type Restricted,
  restrictTo,
  sha256,
  signReceipt,
  type VerifiedEnvelope,
} from '@liaison/envelope';
import { type Decision, decideAll } from '@liaison/policy';
import type { RegistrySnapshot } from '@liaison/registry';
import type { Subjects } from '@liaison/topology';
import type { JetStreamClient } from '@nats-io/jetstream';
import { isErasureRequest } from './amendments.js';
import { AuditEntryKind, type AuditWriter, type DeliveryInit, type RecipientDecisionInit } from './audit.js';
import { type ConversationContext, submissionFacts } from './check-conversation.js';
import type { GateSettings } from './config.js';
import type { Countersigner } from './countersigner.js';
import type { DeliveryLedger } from './delivery-ledger.js';
import { GateError } from './errors.js';

const enc = new TextEncoder();

export interface ProcessorDeps {
  js: JetStreamClient;
  signer: Countersigner;
  ledger: DeliveryLedger;
  audit: AuditWriter;
  subjects: Subjects;
  settings: GateSettings;
  gateKeys: AgencyKeys;
  logger: Logger;
}

export type Outcome =
  | { status: 'accepted'; noticeId: string; deliveries: number }
  | { status: 'rejected'; code: string }
  /** The same envelope again after the intake's duplicate window: answered with its original receipt. */
  | { status: 'resubmitted'; noticeId: string };

/** Decides, restricts, countersigns and delivers one verified submission; audits it; answers the sender. */
export async function deliver(
  d: ProcessorDeps,
  v: VerifiedEnvelope,
  data: Uint8Array,
  snapshot: RegistrySnapshot,
  intakeSeq: number,
  now: number,
  conversation?: ConversationContext,
): Promise<Outcome> {
  const h = v.header;
  const id = h.noticeId;
  const atMs = BigInt(now);
  const base = {
    noticeId: id,
    sender: h.sender,
    headerSha256: sha256(v.envelope.header),
    atMs,
    intakeSeq: BigInt(intakeSeq),
  };
  // Publishes start together, after all signing is done: a publish that fails while we
  // still sign would otherwise be an unhandled rejection.
  const publishes: (() => Promise<unknown>)[] = [];
  const wrappedFor = new Set(v.envelope.wraps.map((w) => w.recipient));
  const named = new Set(v.audience?.recipients ?? []);
  const decisions: RecipientDecisionInit[] = [];
  const deliveries: DeliveryInit[] = [];
  const toDeliver: { decision: Decision; restricted: Restricted }[] = [];
  // Every recipient the sender could have meant, for its receipt: who was left out and why.
  const refused: { recipient: string; reasons: string[] }[] = [];
  const erasureRequest = isErasureRequest(v);
  for (const decision of decideAll(submissionFacts(v, conversation), snapshot, now)) {
    const { recipient, level, layers, reasons } = decision;
    if (level === 'none' && !reasons.some((r) => r === 'SENDER_ITSELF' || r === 'NOT_A_SUBSCRIBER'))
      refused.push({ recipient, reasons: [...reasons] });
    const interesting = level !== 'none' || wrappedFor.has(recipient) || named.has(recipient);
    if (!interesting) continue;
    decisions.push({ recipient, level, layers, reasons, legalBasis: decision.legalBasis ?? '' });
    if (level === 'none') continue;
    const restricted = restrictTo(v, recipient, layers);
    // An erasure request has no layers by design: its signed header is the whole delivery.
    if (restricted.layers.length > 0 || erasureRequest) toDeliver.push({ decision, restricted });
    // The policy allows it, but the sender did not wrap a key for it: nothing to deliver.
    else deliveries.push({ recipient, code: 'NOT_WRAPPED_BY_SENDER' });
  }
  // Claims the notice id for this intake message (REPLAYED if another one has it) and
  // records whom it goes to, before anything is signed: a read receipt is relayed only
  // once the ledger shows the delivery.
  await d.ledger.claim(id, intakeSeq, {
    sender: h.sender,
    headerSha256: Buffer.from(base.headerSha256).toString('hex'),
    recipients: toDeliver.map((t) => t.decision.recipient),
    // Wire 1.2: what a reply or forward of this notice is checked against.
    header: Buffer.from(v.envelope.header).toString('base64'),
    headerSignature: Buffer.from(v.envelope.headerSignature).toString('base64'),
    audience: Buffer.from(v.envelope.audience).toString('base64'),
  });
  const signed = toDeliver.length
    ? await d.signer.sign(
        toDeliver.map(({ decision, restricted }) => ({
          envelope: restricted.envelope,
          grant: {
            recipient: decision.recipient,
            level: decision.level as 'operational' | 'strategic',
            layers: restricted.layers,
            policyRevision: BigInt(snapshot.revision),
            grantedAt: now,
            header: { noticeId: id, sha256: base.headerSha256 },
          },
        })),
      )
    : undefined;
  const granted = toDeliver.map(({ decision, restricted }, i) => {
    const c = signed!.deliveries[i]!;
    publishes.push(() =>
      d.js.publish(d.subjects.feed(decision.recipient, h.kind), c.bytes, {
        msgID: `${id}/${decision.recipient}`,
      }),
    );
    deliveries.push({ recipient: decision.recipient, grant: c.grant, envelopeSha256: sha256(c.bytes) });
    return {
      recipient: decision.recipient,
      level: decision.level as 'operational' | 'strategic',
      layers: restricted.layers,
      reasons: [...decision.reasons],
    };
  });
  // The gate's whole account of the submission, in one entry: what was signed, what
  // the policy decided for each recipient, what was delivered under which signature.
  const audit = d.audit.batch();
  audit.add({
    ...base,
    kind: AuditEntryKind.SUBMISSION,
    envelopeSha256: sha256(data),
    header: v.envelope.header,
    headerSignature: v.envelope.headerSignature,
    audience: v.envelope.audience,
    policyRevision: BigInt(snapshot.revision),
    decisions,
    deliveries,
    grantBatch: signed?.deliveries[0]?.batch,
    grantSignature: signed?.deliveries[0]?.signature,
    grantBlockOffset: signed ? BigInt(signed.block.offset) : undefined,
    grantBlockPath: signed?.block.path,
    ...conversation?.audit,
  });
  const receipt = await signReceipt(
    {
      type: 'submission',
      noticeId: id,
      sender: h.sender,
      status: 'accepted',
      recipients: granted,
      refused,
      screeningOverrides: [...h.screeningOverrides],
      policyRevision: snapshot.revision,
      intakeSeq,
      at: now,
      gateId: d.settings.gateId,
      headerSha256: Buffer.from(base.headerSha256).toString('hex'),
    },
    d.gateKeys,
  );
  publishes.push(() =>
    d.js.publish(d.subjects.receipt(h.sender, id), enc.encode(receipt), { msgID: `${id}/receipt` }),
  );
  // Evidence first: the audit log's account of the submission is stored (in AUDIT_IN, for
  // the writer) before anything reaches a recipient or the sender. A submission the audit
  // log cannot record is delivered to no one (fail closed, docs/exchange.md).
  await d.audit.publish(`${id}/audit`, audit);
  await Promise.all(publishes.map((publish) => publish()));
  return { status: 'accepted', noticeId: id, deliveries: granted.length };
}

/** Records a rejection and answers the sender with its code. Never throws for bad input. */
export async function reject(
  d: ProcessorDeps,
  err: unknown,
  data: Uint8Array,
  subjectAgency: string,
  intakeSeq: number,
  now: number,
  noticeId: string | undefined,
): Promise<Outcome> {
  const code = err instanceof GateError || err instanceof EnvelopeError ? err.code : 'MALFORMED';
  d.logger.info(
    {
      code,
      intakeSeq,
      sender: subjectAgency,
      cause: (err as Error)?.cause ? String((err as Error).cause) : undefined,
    },
    'submission rejected',
  );
  // Recorded, then answered: the sender never holds an answer the audit log lacks.
  await d.audit.append(`rejection/${intakeSeq}`, {
    kind: AuditEntryKind.REJECTION,
    atMs: BigInt(now),
    noticeId: noticeId ?? '',
    sender: subjectAgency,
    code,
    envelopeSha256: sha256(data),
    intakeSeq: BigInt(intakeSeq),
  });
  await answerRejection(
    d,
    code,
    err instanceof Error ? err.message : 'rejected',
    subjectAgency,
    intakeSeq,
    now,
    noticeId,
  );
  return { status: 'rejected', code };
}

/** The sender's gate-signed rejected receipt, with its code (and nothing recorded). */
export async function answerRejection(
  d: ProcessorDeps,
  code: string,
  message: string,
  subjectAgency: string,
  intakeSeq: number,
  now: number,
  noticeId: string | undefined,
): Promise<void> {
  const id = noticeId ?? `intake-${intakeSeq}`;
  const receipt = await signReceipt(
    {
      type: 'submission',
      noticeId: id,
      sender: subjectAgency,
      status: 'rejected',
      code,
      message,
      recipients: [],
      policyRevision: 0,
      intakeSeq,
      at: now,
      gateId: d.settings.gateId,
    },
    d.gateKeys,
  );
  await d.js.publish(d.subjects.receipt(subjectAgency, id), enc.encode(receipt), {
    msgID: `rejection/${intakeSeq}/receipt`,
  });
}
