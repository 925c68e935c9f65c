import type { Subjects } from '@liaison/topology';
import {
  AuditBatchSchema,
  type AuditEntry,
  AuditEntryKind,
  AuditEntrySchema,
  create,
  type Delivery,
  DeliverySchema,
  type RecipientDecision,
  RecipientDecisionSchema,
  toBinary,
} from '@liaison/wire';
import type { JetStreamClient } from '@nats-io/jetstream';

export const AUDIT_DOMAIN = 'liaison.v1.AuditEntry';

export type RecipientDecisionInit = Omit<RecipientDecision, '$typeName'>;
export type DeliveryInit = Partial<Omit<Delivery, '$typeName'>> & { recipient: string };

export type EntryInit = Omit<
  Partial<AuditEntry>,
  '$typeName' | 'domain' | 'gateId' | 'kind' | 'decisions' | 'deliveries'
> & {
  decisions?: RecipientDecisionInit[];
  deliveries?: DeliveryInit[];
  kind: AuditEntryKind;
  atMs: bigint;
};

/**
 * Collects the audit entries one submission produces and publishes them as one
 * batch, with a message id derived from what it records, so a redelivered
 * submission produces no second batch. The audit log appends each entry as a leaf.
 */
export class AuditBatchBuilder {
  private readonly entries: AuditEntry[] = [];

  constructor(private readonly gateId: string) {}

  add(init: EntryInit): void {
    this.entries.push(
      create(AuditEntrySchema, {
        ...init,
        domain: AUDIT_DOMAIN,
        gateId: this.gateId,
        decisions: init.decisions?.map((x) => create(RecipientDecisionSchema, x)),
        deliveries: init.deliveries?.map((x) => create(DeliverySchema, x)),
      }),
    );
  }

  get size(): number {
    return this.entries.length;
  }

  bytes(): Uint8Array {
    return toBinary(AuditBatchSchema, create(AuditBatchSchema, { entries: this.entries }));
  }
}

export class AuditWriter {
  constructor(
    private readonly js: JetStreamClient,
    private readonly subjects: Subjects,
    readonly gateId: string,
    /** Told of every failed publish (the evidence guard holds the intake). */
    private readonly onFailure: (err: unknown) => void = () => undefined,
  ) {}

  batch(): AuditBatchBuilder {
    return new AuditBatchBuilder(this.gateId);
  }

  publish(msgId: string, batch: AuditBatchBuilder): Promise<unknown> {
    return this.js
      .publish(this.subjects.auditIn(this.gateId), batch.bytes(), { msgID: msgId })
      .catch((err) => {
        this.onFailure(err);
        throw err;
      });
  }

  /** A batch of one entry (rejections, read receipts). */
  append(msgId: string, init: EntryInit): Promise<unknown> {
    const b = this.batch();
    b.add(init);
    return this.publish(msgId, b);
  }
}

export { AuditEntryKind };
