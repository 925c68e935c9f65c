import { inboxPrefix } from '@liaison/identity';
import { NOTICE_KINDS } from '@liaison/notice';
import type { Agency } from '@liaison/registry';

export interface Permissions {
  publish: { allow: string[]; deny?: string[] };
  subscribe: { allow: string[]; deny?: string[] };
  /** May answer requests it received (to the requester's own inbox), and nothing else beyond `publish`. */
  allowResponses?: boolean;
}

/** Durable feed consumer names an agency may use: one for its whole feed, one per kind. */
export function feedConsumers(agency: string): string[] {
  return [`feed-${agency}`, ...NOTICE_KINDS.map((k) => `feed-${agency}-${k}`)];
}

const NEVER_FOR_CLIENTS = [
  '$JS.API.STREAM.>',
  '$JS.API.CONSUMER.DURABLE.CREATE.>',
  '$JS.API.CONSUMER.LIST.>',
  '$JS.API.CONSUMER.NAMES.>',
  '$JS.API.DIRECT.GET.>',
];

/**
 * An agency: publishes only on its own intake (if a publisher) and ack subjects,
 * asks the gate for plans and the key directory, reads only its own feed through
 * its own named durable consumers (the filter is pinned in the API subject, which
 * nats-server 2.9 checks against the consumer config), and follows only its own
 * receipts. No stream API at all, so nothing to create, delete or purge.
 */
export function agencyPermissions(a: Agency, prefix = 'liaison'): Permissions {
  const allow = [`${prefix}.gate.plan.${a.id}`, `${prefix}.gate.directory.${a.id}`, '$JS.API.INFO'];
  if (a.roles.includes('publisher')) {
    allow.push(
      `${prefix}.intake.${a.id}`,
      `$JS.API.CONSUMER.CREATE.RECEIPTS.*.${prefix}.receipt.${a.id}.*`,
      `$JS.API.CONSUMER.MSG.NEXT.RECEIPTS.*`,
      `$JS.API.CONSUMER.INFO.RECEIPTS.*`,
      `$JS.API.CONSUMER.DELETE.RECEIPTS.*`,
    );
  }
  if (a.roles.includes('subscriber')) {
    allow.push(`${prefix}.ack.${a.id}`);
    allow.push(`$JS.API.CONSUMER.CREATE.FEED.feed-${a.id}.${prefix}.feed.${a.id}.*`);
    for (const k of NOTICE_KINDS)
      allow.push(`$JS.API.CONSUMER.CREATE.FEED.feed-${a.id}-${k}.${prefix}.feed.${a.id}.${k}`);
    for (const c of feedConsumers(a.id)) {
      allow.push(
        `$JS.API.CONSUMER.INFO.FEED.${c}`,
        `$JS.API.CONSUMER.MSG.NEXT.FEED.${c}`,
        `$JS.ACK.FEED.${c}.>`,
      );
    }
  }
  return { publish: { allow, deny: NEVER_FOR_CLIENTS }, subscribe: { allow: [`${inboxPrefix(a.id)}.>`] } };
}

/** An auditor: reads the audit log, its checkpoints and the policy log; asks for proofs. Nothing else. */
export function auditorPermissions(id: string, prefix = 'liaison'): Permissions {
  const allow = ['$JS.API.INFO', `${prefix}.audit.latest`, `${prefix}.audit.proof.>`];
  for (const s of ['AUDIT', 'AUDIT_CHECKPOINTS', 'POLICY']) {
    allow.push(
      `$JS.API.STREAM.INFO.${s}`,
      `$JS.API.CONSUMER.CREATE.${s}.>`,
      `$JS.API.CONSUMER.MSG.NEXT.${s}.*`,
      `$JS.API.CONSUMER.INFO.${s}.*`,
      `$JS.API.CONSUMER.DELETE.${s}.*`,
    );
  }
  allow.push('$JS.API.STREAM.MSG.GET.POLICY');
  return { publish: { allow }, subscribe: { allow: [`${inboxPrefix(id)}.>`] } };
}

/** An administrator: appends signed policy events and reads the policy log. */
export function administratorPermissions(id: string, prefix = 'liaison'): Permissions {
  return {
    publish: {
      allow: [
        `${prefix}.policy.>`,
        '$JS.API.INFO',
        '$JS.API.STREAM.INFO.POLICY',
        '$JS.API.STREAM.MSG.GET.POLICY',
        '$JS.API.CONSUMER.CREATE.POLICY.>',
        '$JS.API.CONSUMER.MSG.NEXT.POLICY.*',
      ],
    },
    subscribe: { allow: [`${inboxPrefix(id)}.>`] },
  };
}

const NO_DESTRUCTION = [
  '$JS.API.STREAM.DELETE.>',
  '$JS.API.STREAM.PURGE.>',
  '$JS.API.STREAM.MSG.DELETE.>',
  '$JS.API.STREAM.UPDATE.>',
];

/**
 * The gate: reads intake, acks and policy; writes feeds, receipts and its audit
 * outbox; keeps the delivery ledger KV (which is also its replay guard). It may create the exchange's streams but never
 * delete, purge or change them, and may not read feeds or the audit log.
 */
export function gatePermissions(id: string, prefix = 'liaison'): Permissions {
  return {
    publish: {
      allow: [
        `${prefix}.feed.>`,
        `${prefix}.receipt.>`,
        `${prefix}.auditin.${id}`,
        '$KV.LIAISON_DELIVERIES.>',
        '$JS.API.>',
        '$JS.ACK.INTAKE.>',
        '$JS.ACK.ACKS.>',
      ],
      deny: [
        ...NO_DESTRUCTION,
        '$JS.API.CONSUMER.CREATE.FEED.>',
        '$JS.API.CONSUMER.CREATE.AUDIT.>',
        '$JS.API.CONSUMER.CREATE.AUDIT_CHECKPOINTS.>',
        '$JS.API.CONSUMER.CREATE.RECEIPTS.>',
        '$JS.API.CONSUMER.DURABLE.CREATE.FEED.>',
        '$JS.API.CONSUMER.DURABLE.CREATE.AUDIT.>',
        '$JS.API.STREAM.MSG.GET.FEED',
        '$JS.API.STREAM.MSG.GET.AUDIT',
        '$JS.API.DIRECT.GET.FEED.>',
        '$JS.API.DIRECT.GET.AUDIT.>',
      ],
    },
    subscribe: {
      allow: [
        `${inboxPrefix(id)}.>`,
        `${prefix}.gate.plan.*`,
        `${prefix}.gate.directory.*`,
        `${prefix}.policy.>`,
      ],
    },
    allowResponses: true,
  };
}

/** The audit log's writer: takes gate batches, appends to the log and checkpoints, serves proofs. */
export function auditLogPermissions(id: string, prefix = 'liaison'): Permissions {
  const js = ['$JS.API.INFO'];
  for (const s of ['AUDIT_IN', 'AUDIT', 'AUDIT_CHECKPOINTS'])
    js.push(
      `$JS.API.STREAM.INFO.${s}`,
      `$JS.API.STREAM.CREATE.${s}`,
      `$JS.API.CONSUMER.CREATE.${s}.>`,
      `$JS.API.CONSUMER.DURABLE.CREATE.${s}.>`,
      `$JS.API.CONSUMER.MSG.NEXT.${s}.*`,
      `$JS.API.CONSUMER.INFO.${s}.*`,
      `$JS.API.CONSUMER.DELETE.${s}.*`,
    );
  return {
    publish: { allow: [`${prefix}.audit.log`, `${prefix}.audit.checkpoint`, '$JS.ACK.AUDIT_IN.>', ...js] },
    subscribe: { allow: [`${inboxPrefix(id)}.>`, `${prefix}.audit.latest`, `${prefix}.audit.proof.>`] },
    allowResponses: true,
  };
}
