import { RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { DEFAULT_TOPOLOGY, DUPLICATE_WINDOW_NS, type TopologySettings } from './retention.js';
import { DEFAULT_PREFIX } from './subjects.js';

/**
 * The names of an agency site: a nats-server leaf node at the agency with a JetStream
 * domain of its own, connected to the hub (docs/decisions/0013). Its stream lives on the
 * site's JetStream, never on the hub's.
 */
export const SITE_STREAMS = {
  /** Sealed envelopes waiting to be forwarded to the hub's intake (work queue). */
  outbox: 'OUTBOX',
} as const;

/**
 * The header the site's forwarder adds to each envelope it hands the hub: when the site's
 * outbox stored it (ms, the site server's clock). It routes the envelope to the gate's
 * site freshness window (docs/decisions/0018); it attests nothing the signed header does not.
 */
export const OUTBOX_STORED_AT_HEADER = 'Liaison-Outbox-Stored-At';

/** The site forwarder's durable consumer of its outbox. */
export const FORWARDER_DURABLE = 'forwarder';

/** Where an agency's clients at its site submit sealed envelopes: the site's outbox. */
export function outboxSubject(agency: string, prefix = DEFAULT_PREFIX): string {
  return `${prefix}.outbox.${agency}`;
}

/** The JetStream domain of an agency's leaf node (its id: `[a-z0-9-]`, unique in the registry). */
export function siteDomain(agency: string): string {
  return agency;
}

/** The hub's user an agency's leaf node authenticates as (a password user bound to the agency's account). */
export function leafUserOf(agency: string): string {
  return `leaf-${agency}`;
}

/**
 * nats-server 2.9.10 binds a leaf connection that presents no credentials to the global
 * account (measured, docs/decisions/0013); `no_auth_user` names this user, allowed only
 * for MQTT (which the hub does not listen for), so such a connection — leaf or client —
 * is refused instead.
 */
export const NO_AUTH_USER = 'liaison-nobody';
/** The account that holds `NO_AUTH_USER` and nothing else. */
export const NO_AUTH_ACCOUNT = 'LIAISON_NOBODY';

/**
 * The site's outbox: a work queue on the leaf's own JetStream (one replica, file
 * storage); the notice id is each message's `Nats-Msg-Id`, so a client's retry within
 * the window is one message. The forwarder deletes a message (acks it) only once the
 * hub's intake has stored it.
 */
export function outboxStreamConfig(agency: string, settings: Partial<TopologySettings> = {}) {
  const s = { ...DEFAULT_TOPOLOGY, ...settings };
  return {
    name: SITE_STREAMS.outbox,
    subjects: [outboxSubject(agency, s.prefix)],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    num_replicas: 1,
    max_msg_size: s.maxEnvelopeBytes * 2,
    duplicate_window: DUPLICATE_WINDOW_NS.long,
  };
}
