// The permissions are generated from @liaison/topology, and so are the subjects the
// code uses: this holds the two in agreement. For each role, every subject its code
// publishes, requests or subscribes to (built with the same topology calls the code
// makes) is allowed, and every subject another role uses, or that nobody may use,
// is refused — under the default prefix and under another one.
import { NOTICE_KINDS } from '@liaison/notice';
import type { Agency } from '@liaison/registry';
import {
  ackSubjects,
  DELIVERIES_BUCKET,
  DURABLES,
  feedDurable,
  GATE_STREAMS,
  inboxPrefix,
  jetStreamApi,
  jsApi,
  kvKeySubject,
  kvStreamName,
  kvSubjects,
  READABLE_STREAMS,
  RETENTION_BUCKET,
  receiptConsumerName,
  replayConsumerName,
  STREAMS,
  Subjects,
} from '@liaison/topology';
import { describe, expect, it } from 'vitest';
import {
  administratorPermissions,
  agencyPermissions,
  auditLogPermissions,
  auditorPermissions,
  deadlinesPermissions,
  gatePermissions,
  logReaderPermissions,
  type Permissions,
  retentionPermissions,
} from '../src/index.js';
import { permitted } from './subject-match.js';

interface Uses {
  publish: string[];
  subscribe: string[];
}

const GATE = 'liaison-gate';
const LOG = 'liaison-audit-log';
const AUDITOR = 'eu-auditor';
const ADMIN = 'admin-1';
const OPERATOR = 'liaison-operator';
const RETENTION = 'liaison-retention';
const READER = 'liaison-log-reader';
const DEADLINES = 'liaison-deadlines';
const NOTICE = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const ORDERED = 'ordered-1'; // an ordered (ephemeral) reader's consumer name
/** A concrete message subject under a `…>` pattern (an ack, a reply, a KV key). */
const some = (pattern: string) => pattern.replace(/>$/, '1.2.3');
const inbox = (id: string) => `${inboxPrefix(id)}.reply1`;

const agency = (id: string, roles: Agency['roles']): Agency => ({
  id,
  name: id,
  country: 'AT',
  kind: 'member-state-authority',
  roles,
});

/** What a stream reader does (readStream, PolicyStore, the auditor's replay). */
function reads(stream: string): string[] {
  return [
    jsApi.stream('INFO', stream),
    jsApi.consumerCreate(stream, ORDERED),
    jsApi.consumer('INFO', stream, ORDERED),
    jsApi.consumer('MSG.NEXT', stream, ORDERED),
    jsApi.consumer('DELETE', stream, ORDERED),
  ];
}

function usesOf(prefix: string) {
  const s = new Subjects(prefix);
  // An agency in its own account: what it publishes there is what its account imports.
  const local = jetStreamApi(s.agencyJsApi);
  const agencyUses = (id: string, roles: Agency['roles']): Uses => {
    const publish = [s.plan(id), s.directory(id), s.stationCheckpoint(id)];
    const subscribe = [inbox(id)];
    if (roles.includes('publisher')) {
      publish.push(s.intake(id), s.receiptsQuery(id));
      subscribe.push(s.receiptsOf(id));
    }
    if (roles.includes('subscriber')) {
      publish.push(s.ack(id), s.replay(id));
      for (const kind of [undefined, ...NOTICE_KINDS]) {
        const d = feedDurable(id, kind);
        publish.push(
          local.consumer('INFO', STREAMS.feed, d),
          local.consumer('MSG.NEXT', STREAMS.feed, d),
          some(ackSubjects(STREAMS.feed, d)),
        );
      }
    }
    return { publish, subscribe };
  };
  const kv = kvStreamName(DELIVERIES_BUCKET);
  const receiptsReader = receiptConsumerName(GATE, 'a1b2c3');
  // An ordered reader's name is its prefix and a serial.
  const replayReader = `${replayConsumerName(GATE, 'a1b2c3')}_1`;
  const gate: Uses = {
    publish: [
      jsApi.info,
      s.feed('de-bka', 'border-alert'),
      s.receipt('at-bmi', NOTICE),
      s.auditIn(GATE),
      '_R_.abc.def',
      some(kvSubjects(DELIVERIES_BUCKET)),
      ...[...GATE_STREAMS, STREAMS.policy, kv].flatMap((x) => [
        jsApi.stream('INFO', x),
        jsApi.stream('CREATE', x),
      ]),
      jsApi.stream('MSG.GET', STREAMS.policy),
      jsApi.stream('MSG.GET', STREAMS.intake),
      jsApi.stream('MSG.DELETE', STREAMS.intake),
      jsApi.stream('MSG.GET', kv),
      jsApi.directGet(kv, some(kvSubjects(DELIVERIES_BUCKET))),
      ...[
        [STREAMS.intake, DURABLES.gate],
        [STREAMS.acks, DURABLES.gateAcks],
      ].flatMap(([stream, d]) => [
        jsApi.consumerCreate(stream!, d!),
        jsApi.consumer('INFO', stream!, d!),
        jsApi.consumer('MSG.NEXT', stream!, d!),
        some(ackSubjects(stream!, d)),
      ]),
      ...reads(STREAMS.policy).filter((x) => x !== jsApi.stream('INFO', STREAMS.policy)),
      jsApi.consumerCreate(STREAMS.receipts, receiptsReader, s.receipt('at-bmi', NOTICE)),
      ...(['INFO', 'MSG.NEXT', 'DELETE'] as const).map((op) =>
        jsApi.consumer(op, STREAMS.receipts, receiptsReader),
      ),
      jsApi.consumerCreate(STREAMS.feed, replayReader, s.feedFilter('de-bka')),
      ...(['INFO', 'MSG.NEXT', 'DELETE'] as const).map((op) =>
        jsApi.consumer(op, STREAMS.feed, replayReader),
      ),
    ],
    subscribe: [
      inbox(GATE),
      s.planAll,
      s.directoryAll,
      s.receiptsQueryAll,
      s.replayAll,
      s.stationCheckpointAll,
      s.policyAll,
    ],
  };
  const auditLog: Uses = {
    publish: [
      jsApi.info,
      s.auditLog,
      s.auditCheckpoint,
      '_R_.abc.def', // answers to a requester through a service import (an auditor's)
      inbox(OPERATOR), // answers to the operator in the exchange's account
      ...[STREAMS.auditIn, STREAMS.audit, STREAMS.auditCheckpoints].flatMap((x) => [
        jsApi.stream('INFO', x),
        jsApi.stream('CREATE', x),
      ]),
      jsApi.consumerCreate(STREAMS.auditIn, DURABLES.auditLog),
      jsApi.consumer('INFO', STREAMS.auditIn, DURABLES.auditLog),
      jsApi.consumer('MSG.NEXT', STREAMS.auditIn, DURABLES.auditLog),
      some(ackSubjects(STREAMS.auditIn, DURABLES.auditLog)),
      ...reads(STREAMS.audit),
    ],
    subscribe: [inbox(LOG), s.auditLatest, s.auditInclusion, s.auditConsistency],
  };
  /** A short-lived ordered reader of the whole of FEED (retention sweeps, the auditor's content check). */
  const readsFeed = [
    jsApi.stream('INFO', STREAMS.feed),
    jsApi.consumerCreate(STREAMS.feed, ORDERED),
    ...(['INFO', 'MSG.NEXT', 'DELETE'] as const).map((op) => jsApi.consumer(op, STREAMS.feed, ORDERED)),
  ];
  // An auditor in its own account: the log reader's batches and the audit log's answers,
  // nothing of JetStream's API (docs/decisions/0014).
  const auditor: Uses = {
    publish: [...READABLE_STREAMS.map((x) => s.read(x)), s.auditLatest, s.auditInclusion, s.auditConsistency],
    subscribe: [inbox(AUDITOR)],
  };
  // The log reader: reads the four streams through ordered readers, answers into `_R_`.
  const logReader: Uses = {
    publish: [
      jsApi.info,
      '_R_.abc.def',
      ...reads(STREAMS.audit),
      ...reads(STREAMS.auditCheckpoints),
      ...reads(STREAMS.policy),
      ...readsFeed,
    ],
    subscribe: [inbox(READER), ...READABLE_STREAMS.map((x) => s.read(x))],
  };
  // The only role that may delete a FEED message (and no other stream's, and never purge).
  // It also deletes (never writes) ledger records at the end of a notice's class, and keeps its own state.
  const state = kvStreamName(RETENTION_BUCKET);
  const retention: Uses = {
    publish: [
      jsApi.info,
      s.auditIn(RETENTION),
      ...readsFeed,
      jsApi.stream('MSG.DELETE', STREAMS.feed),
      jsApi.stream('MSG.GET', kv),
      jsApi.stream('MSG.DELETE', kv),
      kvKeySubject(RETENTION_BUCKET, 'due.20261203.17'),
      jsApi.stream('INFO', state),
      jsApi.stream('CREATE', state),
      jsApi.stream('MSG.GET', state),
      jsApi.stream('MSG.DELETE', state),
      jsApi.consumerCreate(state, ORDERED, kvKeySubject(RETENTION_BUCKET, 'due.20261203.>')),
      ...(['INFO', 'MSG.NEXT', 'DELETE'] as const).map((op) => jsApi.consumer(op, state, ORDERED)),
    ],
    subscribe: [inbox(RETENTION)],
  };
  // An administrator in its own account: the policy log's batches and the publish of events.
  const admin: Uses = {
    publish: [s.read(STREAMS.policy), s.policy('agency-added')],
    subscribe: [inbox(ADMIN)],
  };
  // The deadline service: follows the log, escalates into its outbox, reports to the parties.
  const deadlines: Uses = {
    publish: [
      jsApi.info,
      s.auditIn(DEADLINES),
      // A report on a request, to one of its parties (the gate publishes receipts there too).
      s.receipt('at-bmi', NOTICE),
      ...reads(STREAMS.audit),
    ],
    subscribe: [inbox(DEADLINES)],
  };
  /** What no role may do: destroy, administer, or read feeds and the log wholesale. */
  const nobody: Uses = {
    publish: [
      // (Of single messages, only the gate deletes one: a stranded intake message it took over.)
      ...Object.values(STREAMS)
        .flatMap((x) =>
          (['DELETE', 'PURGE', 'UPDATE', 'MSG.DELETE'] as const).map((op) => jsApi.stream(op, x)),
        )
        .filter((x) => x !== jsApi.stream('MSG.DELETE', STREAMS.intake)),
      jsApi.consumerCreate(STREAMS.feed, 'peek', s.feedAny),
      jsApi.consumerCreate(STREAMS.receipts, 'peek', s.receiptAny),
      jsApi.stream('MSG.GET', STREAMS.feed),
      ...(['DELETE', 'PURGE', 'UPDATE'] as const).map((op) => jsApi.stream(op, kv)),
      ...(['DELETE', 'PURGE', 'UPDATE'] as const).map((op) =>
        jsApi.stream(op, kvStreamName(RETENTION_BUCKET)),
      ),
      jsApi.directGet(STREAMS.feed, s.feed('de-bka', 'border-alert')),
      jsApi.durableCreate(STREAMS.feed, feedDurable('de-bka')),
      // An agency's own durables are the agency's alone: not even the gate pulls from or deletes one
      // (nor may the readers of the whole of FEED — retention, auditors — create, inspect, pull or delete one).
      ...['de-bka', 'ru-mvd'].flatMap((id) =>
        [feedDurable(id), feedDurable(id, 'border-alert')].flatMap((d) => [
          jsApi.consumer('MSG.NEXT', STREAMS.feed, d),
          jsApi.consumer('DELETE', STREAMS.feed, d),
          jsApi.consumerCreate(STREAMS.feed, d),
        ]),
      ),
    ],
    subscribe: [s.all, s.feedAny, s.feedOf('de-bka'), s.intakeAll, `${inboxPrefix('de-bka')}.>`],
  };
  return {
    roles: {
      'publisher+subscriber agency': {
        uses: agencyUses('at-bmi', ['publisher', 'subscriber']),
        permissions: agencyPermissions(agency('at-bmi', ['publisher', 'subscriber']), prefix),
      },
      'subscriber-only agency': {
        uses: agencyUses('ru-mvd', ['subscriber']),
        permissions: agencyPermissions(agency('ru-mvd', ['subscriber']), prefix),
      },
      'publisher-only agency': {
        uses: agencyUses('us-cbp', ['publisher']),
        permissions: agencyPermissions(agency('us-cbp', ['publisher']), prefix),
      },
      gate: { uses: gate, permissions: gatePermissions(GATE, prefix, ['at-bmi', 'de-bka', 'ru-mvd']) },
      'audit log': { uses: auditLog, permissions: auditLogPermissions(LOG, prefix, [OPERATOR]) },
      auditor: { uses: auditor, permissions: auditorPermissions(AUDITOR, prefix) },
      'log reader': {
        uses: logReader,
        permissions: logReaderPermissions(READER, prefix, ['at-bmi', 'de-bka', 'ru-mvd']),
      },
      administrator: { uses: admin, permissions: administratorPermissions(ADMIN, prefix) },
      retention: {
        uses: retention,
        permissions: retentionPermissions(RETENTION, prefix, ['at-bmi', 'de-bka', 'ru-mvd']),
      },
      'deadline service': { uses: deadlines, permissions: deadlinesPermissions(DEADLINES, prefix) },
    } satisfies Record<string, { uses: Uses; permissions: Permissions }>,
    nobody,
  };
}

/**
 * The one overlap accepted: the gate (replay), the retention service and the log reader read FEED
 * through ordered readers whose consumer names are random, so each may address the
 * others' short-lived readers by name (inspect, pull, delete one: nothing it could not
 * read itself, or a replay to redo). None reaches an agency's durables (denied by name).
 */
const FEED_READERS = new Set(['gate', 'log reader', 'retention']);
const EPHEMERAL_FEED_READER =
  /^\$JS\.API\.CONSUMER\.(INFO|MSG\.NEXT|DELETE)\.FEED\.(ordered-1|replay-[a-z0-9-]+_\d+)$/;
/**
 * And one more: the gate and the retention service both read ledger records by sequence
 * (the gate to check, the retention service to find the one it deletes at the end of a
 * notice's class); only the gate writes them.
 */
const LEDGER_READ = jsApi.stream('MSG.GET', kvStreamName(DELIVERIES_BUCKET));
const sharedEphemeral = (role: string, subject: string) =>
  (FEED_READERS.has(role) && EPHEMERAL_FEED_READER.test(subject)) ||
  ((role === 'gate' || role === 'retention') && subject === LEDGER_READ);

for (const prefix of ['liaison', 'xyz']) {
  describe(`permissions and the subjects the code uses agree (prefix ${prefix})`, () => {
    const { roles, nobody } = usesOf(prefix);
    const universe = (kind: keyof Uses) =>
      new Set([...Object.values(roles).flatMap((r) => r.uses[kind]), ...nobody[kind]]);

    for (const [role, { uses, permissions }] of Object.entries(roles)) {
      it(`lets the ${role} use every subject its code uses`, () => {
        for (const kind of ['publish', 'subscribe'] as const)
          expect(uses[kind].filter((x) => !permitted(permissions[kind], x))).toEqual([]);
      });

      it(`refuses the ${role} every other role's subjects and what nobody may use`, () => {
        for (const kind of ['publish', 'subscribe'] as const) {
          const mine = new Set(uses[kind]);
          const extra = [...universe(kind)].filter(
            (x) => !mine.has(x) && permitted(permissions[kind], x) && !sharedEphemeral(role, x),
          );
          expect(extra).toEqual([]);
        }
      });
    }
  });
}

describe('a prefix change moves every permission with the subjects', () => {
  it('grants nothing under the default prefix to an exchange run under another one', () => {
    const xyz = usesOf('xyz').roles;
    const liaison = usesOf('liaison').roles;
    for (const [role, { permissions }] of Object.entries(xyz)) {
      const own = new Set(xyz[role as keyof typeof xyz].uses.publish);
      const foreign = liaison[role as keyof typeof liaison].uses.publish.filter((x) => !own.has(x));
      expect(foreign.filter((x) => permitted(permissions.publish, x))).toEqual([]);
    }
  });
});
