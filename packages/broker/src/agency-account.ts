import { NOTICE_KINDS } from '@liaison/notice';
import type { Agency } from '@liaison/registry';
import {
  ackSubjects,
  DEFAULT_PREFIX,
  feedDurable,
  inboxOf,
  jetStreamApi,
  jsApi,
  STREAMS,
  Subjects,
} from '@liaison/topology';
import type { Permissions } from './permissions.js';

/**
 * One subject that crosses from the exchange's account into an agency's: a service
 * the agency may call (its answers travel back into the agency's account only), or a
 * stream of messages it may receive. `local` is the subject in the agency's account.
 */
export interface Crossing {
  kind: 'service' | 'stream';
  /** The subject in the exchange's account. */
  subject: string;
  /** The subject in the agency's account (default: the same). */
  local: string;
  /** A service that answers with several messages (a consumer's next batch). */
  responses?: 'stream';
}

const service = (subject: string, local = subject, responses?: 'stream'): Crossing => ({
  kind: 'service',
  subject,
  local,
  ...(responses ? { responses } : {}),
});

/**
 * Everything an agency's account sees of the exchange, generated from the registry's
 * roles and the topology: its plan, directory and (publishers) receipts requests, its
 * own intake subject, its own receipts as they are published, its read receipts, its
 * replay requests (the gate reads its stored deliveries for it), and
 * the info, next-message and ack subjects of its own feed durables — under
 * `Subjects.agencyJsApi`, since its account has no JetStream. Nothing else: no
 * consumer is created, inspected or deleted from an agency's account, and every answer
 * lands in the agency's own account whatever reply subject it chose.
 */
export function agencyCrossings(a: Agency, prefix = DEFAULT_PREFIX): Crossing[] {
  const s = new Subjects(prefix);
  const local = jetStreamApi(s.agencyJsApi);
  const out = [service(s.plan(a.id)), service(s.directory(a.id)), service(s.stationCheckpoint(a.id))];
  if (a.roles.includes('publisher'))
    out.push(service(s.intake(a.id)), service(s.receiptsQuery(a.id)), {
      kind: 'stream',
      subject: s.receiptsOf(a.id),
      local: s.receiptsOf(a.id),
    });
  if (a.roles.includes('subscriber')) {
    out.push(service(s.ack(a.id)), service(s.replay(a.id)));
    for (const kind of [undefined, ...NOTICE_KINDS]) {
      const d = feedDurable(a.id, kind);
      out.push(
        service(jsApi.consumer('INFO', STREAMS.feed, d), local.consumer('INFO', STREAMS.feed, d)),
        service(
          jsApi.consumer('MSG.NEXT', STREAMS.feed, d),
          local.consumer('MSG.NEXT', STREAMS.feed, d),
          'stream',
        ),
        service(ackSubjects(STREAMS.feed, d)),
      );
    }
  }
  return out;
}

/**
 * The agency's user in its own account: it may publish only to what is imported
 * (each an allow-listed subject), and receive only its own inbox and its receipts.
 */
export function agencyPermissions(a: Agency, prefix = DEFAULT_PREFIX): Permissions {
  const crossings = agencyCrossings(a, prefix);
  return {
    publish: { allow: crossings.filter((c) => c.kind === 'service').map((c) => c.local) },
    subscribe: {
      allow: [inboxOf(a.id), ...crossings.filter((c) => c.kind === 'stream').map((c) => c.local)],
    },
  };
}
