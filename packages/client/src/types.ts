import type { OpenedNotice, ProvenanceRequest, ReaderRef, ReadReceipt } from '@liaison/envelope';

/** What a read receipt is about: a notice as delivered (its id, sender and header digest). */
export interface ReceiptTarget {
  noticeId: string;
  sender: string;
  /** Hex SHA-256 of the sender's signed header, as delivered. */
  headerSha256: string;
}

export interface ReadReceiptOptions {
  /** The access-log entry of the person who opened it (e.g. the station's); no name crosses. */
  reader?: ReaderRef;
  /** When it was opened (default now). */
  readAt?: number;
  /**
   * Wire 1.2: for a rectification or an erasure request, the confirmation that this
   * agency's station applied it (replaced or erased its copy and derived copies).
   */
  applied?: ReadReceipt['applied'];
}

export interface FeedItem {
  notice: OpenedNotice;
  /** Hex SHA-256 of the sender's signed header (what a read receipt names). */
  headerSha256: string;
  /**
   * Acknowledges the delivery to JetStream only — "stored, do not redeliver" — and
   * sends no read receipt; send that with `client.sendReadReceipt` when a person opens it.
   */
  settle(): Promise<void>;
  /** Acknowledges the delivery and sends a signed read receipt to the sender (settle + receipt). */
  ack(options?: ReadReceiptOptions): Promise<void>;
}

/** A notice just sealed, before it leaves: what an access log records of a disclosure. */
export interface SealedSubmission {
  noticeId: string;
  /** Hex SHA-256 of the signed header. */
  headerSha256: string;
  /** The recipients it was sealed for, with the level the gate's plan gave each. */
  recipients: { agency: string; level: 'operational' | 'strategic' }[];
}

export interface PublishOptions {
  timeoutMs?: number;
  /**
   * Let this notice of a person-centred kind (border alert, passenger-data hit) reach
   * strategic partners, coarsened: sets `markings.strategicOptIn`, signed in the header.
   */
  strategicOptIn?: boolean;
  /**
   * Called once the notice is sealed and before it is published; if it throws, nothing
   * is published (a station logs the disclosure here, before anything leaves).
   */
  onSealed?: (s: SealedSubmission) => void | Promise<void>;
  /**
   * Called once the envelope is stored where it was published — the hub's intake, or at
   * an agency site the site's outbox (the forwarder takes it on from there) — before the
   * gate's receipt: from then on it reaches the gate without the caller.
   */
  onStored?: () => void;
  /**
   * Wire 1.2: the notice this one answers or forwards. `conversation.reply` and `forward`
   * set it (and inherit the markings); set by hand, the markings are sent as written and
   * the gate refuses any weaker than the original's.
   */
  provenance?: ProvenanceRequest;
}

/** Delivered / read per recipient of one of this agency's notices. */
export interface ReceiptStatus {
  recipient: string;
  level: string;
  readAt?: number;
  /** The access-log entry the recipient's read receipt named, if it named one. */
  reader?: ReaderRef;
  /** Wire 1.2: the recipient's confirmation that it applied this rectification or erasure request. */
  applied?: NonNullable<ReadReceipt['applied']>;
}

/** A stored delivery read back by `replay`: verified and opened exactly like a live one. */
export interface ReplayItem {
  notice: OpenedNotice;
  headerSha256: string;
  /** Its position in the exchange's FEED stream, and when it was stored there. */
  seq: number;
  storedAt: number;
}
