import { type AuditEntry, AuditEntryKind, AuditEntrySchema, create, toBinary } from '@liaison/wire';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { Subjects } from './subjects.js';

export const AUDIT_DOMAIN = 'liaison.v1.AuditEntry';

export type EntryInit = Omit<Partial<AuditEntry>, '$typeName' | 'domain' | 'gateId' | 'kind'> & {
  kind: AuditEntryKind;
  atMs: bigint;
};

/**
 * Appends audit entries for one gate. Each entry has a message id derived from
 * what it records, so a redelivered submission produces no second entry.
 */
export class AuditWriter {
  constructor(
    private readonly js: JetStreamClient,
    private readonly subjects: Subjects,
    private readonly gateId: string,
  ) {}

  entry(init: EntryInit): Uint8Array {
    return toBinary(
      AuditEntrySchema,
      create(AuditEntrySchema, { ...init, domain: AUDIT_DOMAIN, gateId: this.gateId }),
    );
  }

  append(msgId: string, init: EntryInit): Promise<unknown> {
    return this.js.publish(this.subjects.audit(this.gateId), this.entry(init), { msgID: msgId });
  }
}

export { AuditEntryKind };
