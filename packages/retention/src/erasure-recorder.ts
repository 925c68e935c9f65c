import { createHash } from 'node:crypto';
import { AUDIT_ENTRY_DOMAIN, signErasureEntry } from '@liaison/audit-log';
import { retryTransient } from '@liaison/core';
import type { AgencyKeys } from '@liaison/envelope';
import { Subjects } from '@liaison/topology';
import {
  AuditBatchSchema,
  type AuditEntry,
  AuditEntryKind,
  AuditEntrySchema,
  create,
  toBinary,
} from '@liaison/wire';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { DueEntry, LedgerDue } from './retention-state.js';

/** What differs between erasure entries (the rest is the recorder's). */
type ErasureFields = Partial<
  Pick<
    AuditEntry,
    | 'noticeId'
    | 'sender'
    | 'recipient'
    | 'headerSha256'
    | 'envelopeSha256'
    | 'code'
    | 'retentionClass'
    | 'retentionEndsAtMs'
    | 'feedSeq'
    | 'amendmentId'
  >
>;

const bytes = (hex: string) => new Uint8Array(Buffer.from(hex, 'hex'));

/**
 * Records erasures: one signed ERASURE entry per removed FEED copy or deleted ledger
 * record, through the retention identity's audit outbox, with a message id derived from
 * what was removed (a repeat after a crash is dropped by AUDIT_IN's duplicate window).
 */
export class ErasureRecorder {
  private readonly subjects: Subjects;

  constructor(
    private readonly js: JetStreamClient,
    private readonly keys: AgencyKeys,
    prefix: string,
  ) {
    this.subjects = new Subjects(prefix);
  }

  recordCopy(d: DueEntry, now: number): Promise<void> {
    const id = createHash('sha256').update(bytes(d.envelopeSha256)).digest('hex').slice(0, 16);
    return this.publish(
      {
        noticeId: d.noticeId,
        sender: d.sender,
        recipient: d.recipient,
        headerSha256: bytes(d.headerSha256),
        envelopeSha256: bytes(d.envelopeSha256),
        code: d.code,
        retentionClass: d.class,
        retentionEndsAtMs: BigInt(d.endsAt),
        feedSeq: BigInt(d.seq),
        amendmentId: d.amendmentId ?? '',
      },
      now,
      `erasure/${d.seq}/${id}`,
    );
  }

  /** The deletion of a notice's ledger record: no recipient, no FEED message. */
  recordLedger(l: LedgerDue, now: number): Promise<void> {
    return this.publish(
      {
        noticeId: l.noticeId,
        sender: l.sender,
        headerSha256: bytes(l.headerSha256),
        code: 'LEDGER_RECORD_ENDED',
        retentionClass: l.class,
        retentionEndsAtMs: BigInt(l.endsAt),
      },
      now,
      `ledger-erasure/${l.noticeId}`,
    );
  }

  private async publish(fields: ErasureFields, now: number, msgID: string): Promise<void> {
    const entry = create(AuditEntrySchema, {
      ...fields,
      domain: AUDIT_ENTRY_DOMAIN,
      kind: AuditEntryKind.ERASURE,
      atMs: BigInt(now),
      gateId: this.keys.agency,
    });
    signErasureEntry(entry, this.keys);
    const batch = toBinary(AuditBatchSchema, create(AuditBatchSchema, { entries: [entry] }));
    await retryTransient(() => this.js.publish(this.subjects.auditIn(this.keys.agency), batch, { msgID }));
  }
}
