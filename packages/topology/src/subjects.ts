/** The subject prefix every Liaison subject lives under unless configured otherwise. */
export const DEFAULT_PREFIX = 'liaison';

/**
 * Every application subject of the exchange, under one prefix (default "liaison").
 * Methods name one concrete subject; `…All` / `…Of` getters name the wildcards
 * that streams bind and permissions allow.
 *
 * @example
 * const s = new Subjects('liaison');
 * s.intake('at-bmi'); // "liaison.intake.at-bmi"
 * s.feedOf('de-bka'); // "liaison.feed.de-bka.>"
 */
export class Subjects {
  constructor(readonly prefix = DEFAULT_PREFIX) {}

  private at(...tokens: string[]): string {
    return [this.prefix, ...tokens].join('.');
  }

  /** Every subject under the prefix (what no client may subscribe to). */
  get all(): string {
    return this.at('>');
  }
  /** Where an agency submits its sealed envelopes (the gate's work queue). */
  intake(agency: string): string {
    return this.at('intake', agency);
  }
  get intakeAll(): string {
    return this.at('intake', '*');
  }
  /** One delivery to a recipient, by notice kind. */
  feed(recipient: string, kind: string): string {
    return this.at('feed', recipient, kind);
  }
  /** A recipient's feed, whole (`*`) or of one kind: the filter of its durable consumers. */
  feedFilter(recipient: string, kind = '*'): string {
    return this.at('feed', recipient, kind);
  }
  feedOf(recipient: string): string {
    return this.at('feed', recipient, '>');
  }
  get feedAll(): string {
    return this.at('feed', '*', '*');
  }
  get feedAny(): string {
    return this.at('feed', '>');
  }
  /** The gate's signed answers about one notice (submission and read receipts). */
  receipt(sender: string, noticeId: string): string {
    return this.at('receipt', sender, noticeId);
  }
  receiptsOf(sender: string): string {
    return this.at('receipt', sender, '*');
  }
  get receiptAll(): string {
    return this.at('receipt', '*', '*');
  }
  get receiptAny(): string {
    return this.at('receipt', '>');
  }
  /** Where a recipient publishes its signed read receipts (the gate relays them). */
  ack(recipient: string): string {
    return this.at('ack', recipient);
  }
  get ackAll(): string {
    return this.at('ack', '*');
  }
  /** A gate's outbox to the audit log (the audit-log service appends the entries). */
  auditIn(gateId: string): string {
    return this.at('auditin', gateId);
  }
  get auditInAll(): string {
    return this.at('auditin', '*');
  }
  /** The audit log's blocks of records (single writer). */
  get auditLog(): string {
    return this.at('audit', 'log');
  }
  get auditCheckpoint(): string {
    return this.at('audit', 'checkpoint');
  }
  /** Request: the latest signed checkpoint. */
  get auditLatest(): string {
    return this.at('audit', 'latest');
  }
  get auditInclusion(): string {
    return this.at('audit', 'proof', 'inclusion');
  }
  get auditConsistency(): string {
    return this.at('audit', 'proof', 'consistency');
  }
  get auditProofs(): string {
    return this.at('audit', 'proof', '>');
  }
  /** Request to the gate: whom would this agency's notice go to. */
  plan(agency: string): string {
    return this.at('gate', 'plan', agency);
  }
  get planAll(): string {
    return this.at('gate', 'plan', '*');
  }
  /** Where an agency asks for the signed key directory (per agency: rate limits are per requester). */
  directory(agency: string): string {
    return this.at('gate', 'directory', agency);
  }
  get directoryAll(): string {
    return this.at('gate', 'directory', '*');
  }
  /** Where a publisher asks the gate for the stored receipts of one of its notices. */
  receiptsQuery(agency: string): string {
    return this.at('gate', 'receipts', agency);
  }
  get receiptsQueryAll(): string {
    return this.at('gate', 'receipts', '*');
  }
  /**
   * Where a recipient asks the gate for its stored deliveries since a time (replay):
   * the gate reads FEED for it, since agencies cannot create consumers.
   */
  replay(agency: string): string {
    return this.at('gate', 'replay', agency);
  }
  get replayAll(): string {
    return this.at('gate', 'replay', '*');
  }
  /**
   * Where an agency's station hands the gate its signed access-log checkpoint, which
   * the gate checks and records in the audit log (`STATION_CHECKPOINT`).
   */
  stationCheckpoint(agency: string): string {
    return this.at('gate', 'checkpoint', agency);
  }
  get stationCheckpointAll(): string {
    return this.at('gate', 'checkpoint', '*');
  }
  /**
   * The JetStream API as an agency's account sees it: only its own durables' info and
   * next-message subjects are imported there, under this prefix (the agency's account
   * has no JetStream of its own, and `$JS.API` there would answer "not enabled").
   */
  get agencyJsApi(): string {
    return this.at('js');
  }
  /**
   * Where an identity outside the exchange's account (an auditor, an administrator) asks
   * the log reader for a bounded batch of one stream's messages (request/reply through a
   * service import: the answer lands in the requester's own account). The identity never
   * reaches JetStream itself (docs/decisions/0014).
   */
  read(stream: string): string {
    return this.at('read', stream);
  }
  get readAll(): string {
    return this.at('read', '*');
  }
  /** A signed policy event of one type. */
  policy(type: string): string {
    return this.at('policy', type);
  }
  get policyAll(): string {
    return this.at('policy', '>');
  }
}

/** Each identity's replies come to its own inbox prefix (`_INBOX_<id>`), so nobody reads another's replies. */
export function inboxPrefix(id: string): string {
  return `_INBOX_${id}`;
}

/** Every subject under an identity's inbox prefix. */
export function inboxOf(id: string): string {
  return `${inboxPrefix(id)}.>`;
}

/** The last token of a subject: the agency of `<prefix>.intake.<agency>`, the notice of a receipt. */
export function lastToken(subject: string): string {
  return subject.slice(subject.lastIndexOf('.') + 1);
}
