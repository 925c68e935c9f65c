import {
  AUDIT_LOG_STREAMS,
  ackSubjects,
  DEFAULT_PREFIX,
  DELIVERIES_BUCKET,
  DURABLES,
  feedDurables,
  GATE_STREAMS,
  inboxOf,
  inboxPrefix,
  jsApi,
  kvStreamName,
  kvSubjects,
  RETENTION_BUCKET,
  SERVICE_RESPONSES,
  STREAMS,
  type StreamName,
  Subjects,
} from '@liaison/topology';

/** A user's permissions: allow lists (a deny list only ever narrows one). No `allow_responses` for anyone. */
export interface Permissions {
  publish: { allow: string[]; deny?: string[] };
  subscribe: { allow: string[]; deny?: string[] };
}

// Kept as exports of this package: both now come from @liaison/topology.
export { feedDurables as feedConsumers, inboxPrefix };

const { receipts: RECEIPTS, audit: AUDIT, auditCheckpoints: CHECKPOINTS, policy: POLICY } = STREAMS;

/** Reading a stream through ephemeral or named consumers: info, create, next, consumer info, delete. */
function readerOf(stream: StreamName): string[] {
  return [
    jsApi.stream('INFO', stream),
    jsApi.consumerCreate(stream, '>'),
    jsApi.consumer('MSG.NEXT', stream, '*'),
    jsApi.consumer('INFO', stream, '*'),
    jsApi.consumer('DELETE', stream, '*'),
  ];
}

/** A service's own durable on a stream: created (with or without a filter), inspected, pulled, acked. */
function durableOf(stream: StreamName, durable: string): string[] {
  return [
    jsApi.consumerCreate(stream, durable),
    jsApi.consumerCreate(stream, durable, '>'),
    jsApi.durableCreate(stream, durable),
    jsApi.consumer('INFO', stream, durable),
    jsApi.consumer('MSG.NEXT', stream, durable),
    ackSubjects(stream, durable),
  ];
}

/** Creating a stream if it is missing (idempotent `ensureStreams`): info and create, never update or delete. */
function creatorOf(stream: string): string[] {
  return [jsApi.stream('INFO', stream), jsApi.stream('CREATE', stream)];
}

/**
 * Reading the whole of FEED through short-lived ordered readers (no filter: the retention
 * sweep and the auditor's content check read every delivery's cleartext header), never an
 * agency's own durables: creating, pulling from, inspecting or deleting one by name is
 * denied, so no reader can take an agency's deliveries or pre-create its durable.
 */
function feedReaderOf(agencies: readonly string[]): Permissions['publish'] {
  const FEED = STREAMS.feed;
  const durables = agencies.flatMap(feedDurables);
  return {
    allow: [
      jsApi.stream('INFO', FEED),
      jsApi.consumerCreate(FEED, '*'),
      ...(['MSG.NEXT', 'INFO', 'DELETE'] as const).map((op) => jsApi.consumer(op, FEED, '*')),
    ],
    deny: durables.flatMap((d) => [
      jsApi.consumerCreate(FEED, d),
      jsApi.consumerCreate(FEED, d, '>'),
      ...(['MSG.NEXT', 'INFO', 'DELETE'] as const).map((op) => jsApi.consumer(op, FEED, d)),
    ]),
  };
}

/**
 * The log reader (docs/decisions/0014): reads the streams auditors and administrators
 * read (READABLE_STREAMS) through short-lived ordered consumers whose configuration is
 * its own code's, never a requester's (FEED: never an agency's durable, denied by name),
 * and answers only into a service import's mapped reply (`_R_.…`). It writes nothing.
 */
export function logReaderPermissions(
  id: string,
  prefix = DEFAULT_PREFIX,
  agencies: readonly string[] = [],
): Permissions {
  const s = new Subjects(prefix);
  const feed = feedReaderOf(agencies);
  const allow = [jsApi.info, SERVICE_RESPONSES];
  for (const stream of [AUDIT, CHECKPOINTS, POLICY]) allow.push(...readerOf(stream));
  allow.push(...feed.allow);
  return {
    publish: { allow, ...(feed.deny?.length ? { deny: feed.deny } : {}) },
    subscribe: { allow: [inboxOf(id), s.readAll] },
  };
}

/**
 * The gate: an allow list of exactly what it does. It reads intake and read receipts
 * through its own durables and the policy log; writes feeds, receipts and its audit
 * outbox; keeps the delivery ledger KV (also its replay guard); creates its streams if
 * missing (never updates, purges or deletes one; of single messages, it reads and deletes
 * only an intake message its durable no longer offers); reads one notice's receipts for a
 * receipts query and one agency's feed for a replay request (never an agency's
 * durable: those are denied by name). It answers requests only where nats-server maps an answer back into
 * the requester's account (`_R_.…`): no `allow_responses`, so no reply subject an
 * agency picks can make it publish anywhere else.
 */
export function gatePermissions(
  id: string,
  prefix = DEFAULT_PREFIX,
  agencies: readonly string[] = [],
): Permissions {
  const s = new Subjects(prefix);
  const kv = kvStreamName(DELIVERIES_BUCKET);
  // The replay reader needs any consumer name on FEED (an ordered reader's is random);
  // the agencies' own durables are denied by name, so the gate can never pull from one.
  const durables = agencies.flatMap(feedDurables);
  return {
    publish: {
      allow: [
        jsApi.info,
        s.feedAny,
        s.receiptAny,
        s.auditIn(id),
        SERVICE_RESPONSES,
        kvSubjects(DELIVERIES_BUCKET),
        ...[...GATE_STREAMS, STREAMS.policy, kv].flatMap(creatorOf),
        jsApi.stream('MSG.GET', kv),
        jsApi.directGet(kv, '>'),
        jsApi.stream('MSG.GET', POLICY),
        ...durableOf(STREAMS.intake, DURABLES.gate),
        // An intake message its durable no longer offers (a 2.9.10 consumer leader change):
        // read from INTAKE and, once processed, removed from it (the gate's IntakeSweeper).
        jsApi.stream('MSG.GET', STREAMS.intake),
        jsApi.stream('MSG.DELETE', STREAMS.intake),
        ...durableOf(STREAMS.acks, DURABLES.gateAcks),
        ...readerOf(POLICY).filter((x) => x !== jsApi.stream('INFO', POLICY)),
        // Receipts queries: a short-lived ordered reader pinned to the receipt subjects.
        jsApi.consumerCreate(RECEIPTS, '*', s.receiptAll),
        ...(['MSG.NEXT', 'INFO', 'DELETE'] as const).map((op) => jsApi.consumer(op, RECEIPTS, '*')),
        // Replay requests: a short-lived ordered reader pinned to one agency's feed.
        jsApi.consumerCreate(STREAMS.feed, '*', s.feedAll),
        ...(['MSG.NEXT', 'INFO', 'DELETE'] as const).map((op) => jsApi.consumer(op, STREAMS.feed, '*')),
      ],
      ...(durables.length
        ? {
            deny: durables.flatMap((d) =>
              (['MSG.NEXT', 'DELETE'] as const).map((op) => jsApi.consumer(op, STREAMS.feed, d)),
            ),
          }
        : {}),
    },
    subscribe: {
      allow: [
        inboxOf(id),
        s.planAll,
        s.directoryAll,
        s.receiptsQueryAll,
        s.replayAll,
        s.stationCheckpointAll,
        s.policyAll,
      ],
    },
  };
}

/**
 * The retention service: reads FEED (cleartext headers; it holds no key that opens
 * content) through short-lived ordered readers (never an agency's durable), deletes
 * single FEED messages at the end of their retention — the only identity given
 * `MSG.DELETE` on FEED — and records each removal through its own audit outbox. At the
 * end of a notice's class it reads and deletes that notice's delivery-ledger record
 * (`MSG.GET` / `MSG.DELETE` on the ledger's stream: it never writes a record, so it
 * cannot claim a delivery). It keeps its own state (cursor, what is due when) in its own
 * bucket, created if missing. It never purges, updates or deletes a stream.
 */
export function retentionPermissions(
  id: string,
  prefix = DEFAULT_PREFIX,
  agencies: readonly string[] = [],
): Permissions {
  const s = new Subjects(prefix);
  const feed = feedReaderOf(agencies);
  const ledger = kvStreamName(DELIVERIES_BUCKET);
  const state = kvStreamName(RETENTION_BUCKET);
  return {
    publish: {
      allow: [
        jsApi.info,
        s.auditIn(id),
        jsApi.stream('MSG.DELETE', STREAMS.feed),
        ...feed.allow,
        jsApi.stream('MSG.GET', ledger),
        jsApi.stream('MSG.DELETE', ledger),
        kvSubjects(RETENTION_BUCKET),
        ...creatorOf(state),
        jsApi.stream('MSG.GET', state),
        jsApi.stream('MSG.DELETE', state),
        jsApi.consumerCreate(state, '*', '>'),
        ...(['MSG.NEXT', 'INFO', 'DELETE'] as const).map((op) => jsApi.consumer(op, state, '*')),
      ],
      ...(feed.deny?.length ? { deny: feed.deny } : {}),
    },
    subscribe: { allow: [inboxOf(id)] },
  };
}

/**
 * The audit log's writer: creates its streams, takes gate batches through its own
 * durable, reads back the log it appends to (catching up), appends to the log and
 * the checkpoints, serves proofs. It answers only its requesters' own inboxes (the
 * auditors', the operator's) or a service import's mapped reply: no `allow_responses`.
 */
export function auditLogPermissions(
  id: string,
  prefix = DEFAULT_PREFIX,
  requesters: readonly string[] = [],
): Permissions {
  const s = new Subjects(prefix);
  return {
    publish: {
      allow: [
        jsApi.info,
        s.auditLog,
        s.auditCheckpoint,
        SERVICE_RESPONSES,
        ...requesters.map(inboxOf),
        ...AUDIT_LOG_STREAMS.flatMap(creatorOf),
        ...durableOf(STREAMS.auditIn, DURABLES.auditLog),
        ...readerOf(AUDIT).filter((x) => x !== jsApi.stream('INFO', AUDIT)),
      ],
    },
    subscribe: { allow: [inboxOf(id), s.auditLatest, s.auditProofs] },
  };
}

/**
 * The deadline service (docs/conversations.md): reads the audit log through ordered
 * readers (its state is re-derived from the log on every start), writes escalation
 * entries to its own audit outbox, and publishes its signed reports on the receipt
 * subjects of the parties to a request (the requester and the requested agencies, which
 * import their own receipt subjects already). It takes no requests: nothing an agency
 * sends can make it publish anywhere.
 */
export function deadlinesPermissions(id: string, prefix = DEFAULT_PREFIX): Permissions {
  const s = new Subjects(prefix);
  return {
    publish: { allow: [jsApi.info, s.auditIn(id), s.receiptAll, ...readerOf(AUDIT)] },
    subscribe: { allow: [inboxOf(id)] },
  };
}
