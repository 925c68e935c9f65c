import type { Logger } from '@liaison/core';
import type { AgencyKeys, PublicKeyRecord } from '@liaison/envelope';
import type { NatsConnection } from '@nats-io/transport-node';
import type { PlanCache } from './plan-cache.js';
import type { SentJournal } from './sent-journal.js';

/** What `LiaisonClient` is made of: the agency's connection, keys and the pinned gate keys. */
export interface ClientOptions {
  nc: NatsConnection;
  /** This agency's keys. */
  keys: AgencyKeys;
  /** The gate's public signing keys (pinned; distributed with the agency's credentials). */
  gateKeys: readonly PublicKeyRecord[];
  prefix?: string;
  /**
   * How the exchange's JetStream is reached: through the imports of the agency's own
   * account (the locked-down broker, default), or directly (an open development broker).
   */
  broker?: 'accounts' | 'open';
  logger?: Logger;
  /**
   * Where sealed envelopes are published: the agency's intake on the hub (default), or,
   * at an agency site on a leaf node, the site's outbox (`outboxSubject`), which the
   * site's forwarder hands to the hub (docs/decisions/0013).
   */
  intakeSubject?: string;
  /**
   * The gate's signed plans kept for sealing while the gate cannot be reached (a site
   * whose link to the hub is down); the gate decides again when the notice arrives.
   */
  planCache?: PlanCache;
  /** Where the notices this agency sends are kept for its case threads (default: in memory). */
  sentJournal?: SentJournal;
}
