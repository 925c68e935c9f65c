/** Subject and stream names, under a configurable prefix (default "liaison"). */
export class Subjects {
  constructor(readonly prefix = 'liaison') {}

  intake(agency: string): string {
    return `${this.prefix}.intake.${agency}`;
  }
  get intakeAll(): string {
    return `${this.prefix}.intake.*`;
  }
  feed(recipient: string, kind: string): string {
    return `${this.prefix}.feed.${recipient}.${kind}`;
  }
  feedOf(recipient: string): string {
    return `${this.prefix}.feed.${recipient}.>`;
  }
  receipt(sender: string, noticeId: string): string {
    return `${this.prefix}.receipt.${sender}.${noticeId}`;
  }
  receiptsOf(sender: string): string {
    return `${this.prefix}.receipt.${sender}.*`;
  }
  /** Where a recipient publishes its signed read receipts (the gate relays them). */
  ack(recipient: string): string {
    return `${this.prefix}.ack.${recipient}`;
  }
  get ackAll(): string {
    return `${this.prefix}.ack.*`;
  }
  /** The gate's outbox to the audit log (the audit-log service appends the entries). */
  audit(gateId: string): string {
    return `${this.prefix}.auditin.${gateId}`;
  }
  get plan(): string {
    return `${this.prefix}.gate.plan`;
  }
  get directory(): string {
    return `${this.prefix}.gate.directory`;
  }
}

export const STREAMS = {
  intake: 'INTAKE',
  feed: 'FEED',
  receipts: 'RECEIPTS',
  acks: 'ACKS',
  audit: 'AUDIT_IN',
} as const;

/** The agency token of a subject like `<prefix>.intake.<agency>`. */
export function lastToken(subject: string): string {
  return subject.slice(subject.lastIndexOf('.') + 1);
}
