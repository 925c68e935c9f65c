import { NOTICE_KINDS } from '@liaison/notice';
import type { Agency } from '@liaison/registry';
import {
  AUDIT_LOG_STREAMS,
  ackSubjects,
  DEFAULT_PREFIX,
  DELIVERIES_BUCKET,
  DURABLES,
  feedDurable,
  feedDurables,
  inboxOf,
  inboxPrefix,
  jsApi,
  kvSubjects,
  STREAMS,
  type StreamName,
  Subjects,
} from '@liaison/topology';

export interface Permissions {
  publish: { allow: string[]; deny?: string[] };
  subscribe: { allow: string[]; deny?: string[] };
  /** May answer requests it received (to the requester's own inbox), and nothing else beyond `publish`. */
  allowResponses?: boolean;
}

// Kept as exports of this package: both now come from @liaison/topology.
export { feedDurables as feedConsumers, inboxPrefix };

const {
  feed: FEED,
  receipts: RECEIPTS,
  audit: AUDIT,
  auditCheckpoints: CHECKPOINTS,
  policy: POLICY,
} = STREAMS;

const NEVER_FOR_CLIENTS = [
  jsApi.streamAll,
  jsApi.durableCreate('>'),
  jsApi.consumerList('LIST', '>'),
  jsApi.consumerList('NAMES', '>'),
  jsApi.directGet('>'),
];

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

/**
 * An agency: publishes only on its own intake (if a publisher) and ack subjects,
 * asks the gate for plans and the key directory, reads only its own feed through
 * its own named durable consumers (the filter is pinned in the API subject, which
 * nats-server 2.9 checks against the consumer config), and follows only its own
 * receipts. No stream API at all, so nothing to create, delete or purge.
 */
export function agencyPermissions(a: Agency, prefix = DEFAULT_PREFIX): Permissions {
  const s = new Subjects(prefix);
  const allow = [s.plan(a.id), s.directory(a.id), jsApi.info];
  if (a.roles.includes('publisher')) {
    allow.push(
      s.intake(a.id),
      jsApi.consumerCreate(RECEIPTS, '*', s.receiptsOf(a.id)),
      jsApi.consumer('MSG.NEXT', RECEIPTS, '*'),
      jsApi.consumer('INFO', RECEIPTS, '*'),
      jsApi.consumer('DELETE', RECEIPTS, '*'),
    );
  }
  if (a.roles.includes('subscriber')) {
    allow.push(s.ack(a.id));
    allow.push(jsApi.consumerCreate(FEED, feedDurable(a.id), s.feedFilter(a.id)));
    for (const k of NOTICE_KINDS)
      allow.push(jsApi.consumerCreate(FEED, feedDurable(a.id, k), s.feedFilter(a.id, k)));
    for (const c of feedDurables(a.id)) {
      allow.push(jsApi.consumer('INFO', FEED, c), jsApi.consumer('MSG.NEXT', FEED, c), ackSubjects(FEED, c));
    }
  }
  return { publish: { allow, deny: NEVER_FOR_CLIENTS }, subscribe: { allow: [inboxOf(a.id)] } };
}

/** An auditor: reads the audit log, its checkpoints and the policy log; asks for proofs. Nothing else. */
export function auditorPermissions(id: string, prefix = DEFAULT_PREFIX): Permissions {
  const s = new Subjects(prefix);
  const allow = [jsApi.info, s.auditLatest, s.auditProofs];
  for (const stream of [AUDIT, CHECKPOINTS, POLICY]) allow.push(...readerOf(stream));
  allow.push(jsApi.stream('MSG.GET', POLICY));
  return { publish: { allow }, subscribe: { allow: [inboxOf(id)] } };
}

/** An administrator: appends signed policy events and reads the policy log. */
export function administratorPermissions(id: string, prefix = DEFAULT_PREFIX): Permissions {
  const s = new Subjects(prefix);
  return {
    publish: {
      allow: [
        s.policyAll,
        jsApi.info,
        jsApi.stream('INFO', POLICY),
        jsApi.stream('MSG.GET', POLICY),
        jsApi.consumerCreate(POLICY, '>'),
        jsApi.consumer('MSG.NEXT', POLICY, '*'),
      ],
    },
    subscribe: { allow: [inboxOf(id)] },
  };
}

const NO_DESTRUCTION = [
  jsApi.stream('DELETE', '>'),
  jsApi.stream('PURGE', '>'),
  jsApi.stream('MSG.DELETE', '>'),
  jsApi.stream('UPDATE', '>'),
];

/**
 * The gate: reads intake, acks and policy; writes feeds, receipts and its audit
 * outbox; keeps the delivery ledger KV (which is also its replay guard). It may create the exchange's streams but never
 * delete, purge or change them, and may not read feeds or the audit log.
 */
export function gatePermissions(id: string, prefix = DEFAULT_PREFIX): Permissions {
  const s = new Subjects(prefix);
  return {
    publish: {
      allow: [
        s.feedAny,
        s.receiptAny,
        s.auditIn(id),
        kvSubjects(DELIVERIES_BUCKET),
        jsApi.all,
        ackSubjects(STREAMS.intake, DURABLES.gate),
        ackSubjects(STREAMS.acks, DURABLES.gateAcks),
      ],
      deny: [
        ...NO_DESTRUCTION,
        jsApi.consumerCreate(FEED, '>'),
        jsApi.consumerCreate(AUDIT, '>'),
        jsApi.consumerCreate(CHECKPOINTS, '>'),
        jsApi.consumerCreate(RECEIPTS, '>'),
        jsApi.durableCreate(FEED, '>'),
        jsApi.durableCreate(AUDIT, '>'),
        jsApi.stream('MSG.GET', FEED),
        jsApi.stream('MSG.GET', AUDIT),
        jsApi.directGet(FEED, '>'),
        jsApi.directGet(AUDIT, '>'),
        // Nor pull from anyone else's consumers of what it writes.
        jsApi.consumer('MSG.NEXT', FEED, '*'),
        jsApi.consumer('MSG.NEXT', RECEIPTS, '*'),
        jsApi.consumer('MSG.NEXT', AUDIT, '*'),
        jsApi.consumer('MSG.NEXT', CHECKPOINTS, '*'),
      ],
    },
    subscribe: { allow: [inboxOf(id), s.planAll, s.directoryAll, s.policyAll] },
    allowResponses: true,
  };
}

/**
 * The audit log's writer: creates its streams, takes gate batches through its own
 * durable, reads back the log it appends to (catching up), appends to the log and
 * the checkpoints, serves proofs. It never reads the checkpoints back.
 */
export function auditLogPermissions(id: string, prefix = DEFAULT_PREFIX): Permissions {
  const s = new Subjects(prefix);
  const { auditIn: AUDIT_IN } = STREAMS;
  const js = [jsApi.info];
  for (const stream of AUDIT_LOG_STREAMS)
    js.push(jsApi.stream('INFO', stream), jsApi.stream('CREATE', stream));
  js.push(
    jsApi.consumerCreate(AUDIT_IN, DURABLES.auditLog),
    jsApi.consumer('INFO', AUDIT_IN, DURABLES.auditLog),
    jsApi.consumer('MSG.NEXT', AUDIT_IN, DURABLES.auditLog),
    ...readerOf(AUDIT).filter((x) => x !== jsApi.stream('INFO', AUDIT)),
  );
  return {
    publish: { allow: [s.auditLog, s.auditCheckpoint, ackSubjects(AUDIT_IN, DURABLES.auditLog), ...js] },
    subscribe: { allow: [inboxOf(id), s.auditLatest, s.auditProofs] },
    allowResponses: true,
  };
}
