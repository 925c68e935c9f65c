import type { Logger } from '@liaison/core';
import { type AgencyKeys, AudienceRequestSchema } from '@liaison/envelope';
import { LAYER_NAMES, MarkingsSchema, NOTICE_KINDS } from '@liaison/notice';
import { decideAll, noticeFacts } from '@liaison/policy';
import { currentKey, type RegistrySnapshot } from '@liaison/registry';
import { isReplySpace, type Subjects } from '@liaison/topology';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { z } from 'zod';
import type { AuditWriter } from './audit.js';
import { loadOrigin } from './check-conversation.js';
import type { DeliveryLedger } from './delivery-ledger.js';
import { GateError } from './errors.js';
import { type RateLimit, RateLimiter } from './rate-limiter.js';
import { ReceiptsQuerySchema, storedReceipts } from './receipts-query.js';
import { ReplayQuerySchema, storedDeliveries } from './replay-query.js';
import { DIRECTORY_TYP, PLAN_TYP, signStatement } from './statements.js';
import { recordStationCheckpoint, StationCheckpointRequestSchema } from './station-checkpoints.js';

/** What a sender asks before sealing: the header facts of the notice it is about to send. */
export const PlanRequestSchema = z.object({
  kind: z.enum(NOTICE_KINDS),
  markings: MarkingsSchema,
  layers: z.array(z.enum(LAYER_NAMES)).min(1),
  /** Whether the notice holds personal data (its header will carry a review date). */
  personalData: z.boolean().optional(),
  audience: AudienceRequestSchema.optional(),
  /** Wire 1.2: a reply or forward names what it answers, so the plan applies the same ceiling. */
  provenance: z
    .object({
      relation: z.enum(['reply', 'forward']),
      noticeId: z.string().max(40),
      headerSha256: z.string().regex(/^[0-9a-f]{64}$/),
      permission: z
        .object({ noticeId: z.string().max(40), headerSha256: z.string().regex(/^[0-9a-f]{64}$/) })
        .optional(),
    })
    .optional(),
});
export type PlanRequest = z.infer<typeof PlanRequestSchema>;

const enc = new TextEncoder();

/** A coded error answer (request endpoints answer JSON errors, never a signed statement). */
function errorAnswer(code: string, issues?: unknown): Uint8Array {
  return enc.encode(JSON.stringify({ error: issues ? { code, issues } : { code } }));
}

/**
 * The signed directory, signed once per registry revision (an answer is ~11 KB and a
 * signature; per request it would let any agency make the gate sign at will). Its `at`
 * is when it was signed; `revision` says which registry it shows.
 */
class DirectoryCache {
  private signed: { revision: number; bytes: Promise<Uint8Array> } | undefined;

  constructor(private readonly gate: AgencyKeys) {}

  answer(s: RegistrySnapshot): Promise<Uint8Array> {
    if (this.signed?.revision !== s.revision) {
      const keys = [...s.keys.values()].flat();
      // The agencies' functional contacts, for the senders' strategic screening.
      const contacts = Object.fromEntries(
        [...s.agencies.values()].filter((a) => a.contacts?.length).map((a) => [a.id, a.contacts]),
      );
      const bytes = signStatement(
        { type: 'directory', revision: s.revision, at: Date.now(), keys, contacts },
        this.gate,
        DIRECTORY_TYP,
      ).then((jws) => enc.encode(jws));
      // A failed signing is not kept: the next request tries again.
      bytes.catch(() => {
        if (this.signed?.bytes === bytes) this.signed = undefined;
      });
      this.signed = { revision: s.revision, bytes };
    }
    return this.signed.bytes;
  }
}

/**
 * The gate's request-reply endpoints:
 * - `<prefix>.gate.plan.<agency>`: recipients, levels and encryption keys for a
 *   notice the agency is about to seal, under the current policy, signed by the gate;
 * - `<prefix>.gate.directory.<agency>`: every agency's public keys with validity and
 *   revocation, signed by the gate (recipients verify senders with it); signed once per
 *   registry revision.
 * - `<prefix>.gate.receipts.<agency>`: the receipts stored for one of the agency's
 *   notices (`{ noticeId }` → `{ receipts: [jws…] }`).
 * - `<prefix>.gate.replay.<agency>`: the agency's stored deliveries from a time, a
 *   bounded batch at a time (`{ since }` or `{ after }` → `{ deliveries, next? }`).
 * - `<prefix>.gate.checkpoint.<agency>`: the agency station's signed access-log
 *   checkpoint, checked and recorded in the audit log (`{ note }` → `{ recorded, size, root }`).
 * Agencies never read the policy stream themselves. All are limited per agency (the
 * subject's last token, which the broker pins to the requester) by one token bucket:
 * over it, the answer is `{ error: { code: 'RATE_LIMITED' } }`.
 */
export function serveEndpoints(
  nc: NatsConnection,
  subjects: Subjects,
  gate: AgencyKeys,
  snapshot: () => Promise<RegistrySnapshot>,
  logger: Logger,
  limit: RateLimit,
  ledger: DeliveryLedger,
  audit: AuditWriter,
): Subscription[] {
  const limiter = new RateLimiter(limit);
  const directory = new DirectoryCache(gate);
  const agencyOf = (msg: Msg) => msg.subject.slice(msg.subject.lastIndexOf('.') + 1);
  // Never a deputy: an answer goes only to a reply space (a service import's mapped
  // reply, or an inbox), whatever reply subject the requester chose. The broker's
  // permissions refuse the rest too; this keeps an open development broker safe as well.
  const answerable = (msg: Msg): boolean => {
    if (isReplySpace(msg.reply)) return true;
    logger.warn(
      { code: 'REPLY_REFUSED', subject: msg.subject },
      'request with a reply subject outside any reply space',
    );
    return false;
  };
  const answerPlan = async (msg: Msg): Promise<void> => {
    if (!answerable(msg)) return;
    const agency = agencyOf(msg);
    if (!limiter.take(agency)) {
      msg.respond(errorAnswer('RATE_LIMITED'));
      return;
    }
    try {
      const parsed = PlanRequestSchema.safeParse(JSON.parse(new TextDecoder().decode(msg.data)));
      if (!parsed.success) {
        msg.respond(
          errorAnswer(
            'BAD_REQUEST',
            parsed.error.issues.map((i) => ({ code: i.code, path: i.path })),
          ),
        );
        return;
      }
      const s = await snapshot();
      const now = Date.now();
      const r = parsed.data;
      const facts = noticeFacts({
        sender: agency,
        kind: r.kind,
        createdAt: now,
        markings: r.markings,
        layers: r.layers,
        ...(r.personalData === undefined ? {} : { personalData: r.personalData }),
        audience: {
          ...r.audience,
          pnrTransfers: (r.audience?.pnrTransfers ?? []).map((t) => ({
            ...t,
            originPiu: t.originPiu ?? '',
            consentReference: t.consentReference ?? '',
          })),
        },
      });
      if (r.provenance) {
        const { relation, noticeId, headerSha256, permission } = r.provenance;
        const p = { relation, noticeId, headerSha256, ...(permission ? { permission } : {}) };
        facts.origin = (await loadOrigin(ledger, p, agency)).origin;
      }
      const recipients = decideAll(facts, s, now)
        .filter((d) => d.level !== 'none')
        .map((d) => ({
          agency: d.recipient,
          level: d.level,
          layers: d.layers,
          encryptionKey: currentKey(s, d.recipient, 'enc', now),
        }));
      const payload = { type: 'plan', agency, revision: s.revision, at: now, recipients };
      msg.respond(enc.encode(await signStatement(payload, gate, PLAN_TYP)));
    } catch (e) {
      if (e instanceof GateError) logger.info({ code: e.code, agency }, 'plan refused');
      else logger.warn({ err: String(e) }, 'plan request failed');
      msg.respond(errorAnswer(e instanceof GateError ? e.code : 'BAD_REQUEST'));
    }
  };
  const failed = (e: unknown) => logger.warn({ err: String(e) }, 'request not answered');
  const answerDirectory = async (msg: Msg): Promise<void> => {
    if (!answerable(msg)) return;
    if (!limiter.take(agencyOf(msg))) {
      msg.respond(errorAnswer('RATE_LIMITED'));
      return;
    }
    msg.respond(await directory.answer(await snapshot()));
  };
  /** A JSON query of the requesting agency: parsed at the edge, answered with JSON. */
  const jsonQuery =
    <T>(schema: z.ZodType<T>, what: string, answer: (agency: string, q: T) => Promise<unknown>) =>
    async (msg: Msg): Promise<void> => {
      if (!answerable(msg)) return;
      const agency = agencyOf(msg);
      if (!limiter.take(agency)) {
        msg.respond(errorAnswer('RATE_LIMITED'));
        return;
      }
      let query: unknown;
      try {
        query = JSON.parse(new TextDecoder().decode(msg.data));
      } catch {
        query = undefined;
      }
      const parsed = schema.safeParse(query);
      if (!parsed.success) {
        msg.respond(
          errorAnswer(
            'BAD_REQUEST',
            parsed.error.issues.map((i) => ({ code: i.code, path: i.path })),
          ),
        );
        return;
      }
      try {
        msg.respond(enc.encode(JSON.stringify(await answer(agency, parsed.data))));
      } catch (e) {
        if (e instanceof GateError) {
          logger.info({ code: e.code, agency }, `${what} refused`);
          msg.respond(errorAnswer(e.code));
          return;
        }
        logger.warn({ err: String(e) }, `${what} query failed`);
        msg.respond(errorAnswer('UNAVAILABLE'));
      }
    };
  const answerReceipts = jsonQuery(ReceiptsQuerySchema, 'receipts', async (agency, q) => ({
    receipts: await storedReceipts(nc, subjects, agency, q.noticeId),
  }));
  const answerReplay = jsonQuery(ReplayQuerySchema, 'replay', (agency, q) =>
    storedDeliveries(nc, subjects, gate.agency, agency, q),
  );
  const answerCheckpoint = jsonQuery(
    StationCheckpointRequestSchema,
    'station checkpoint',
    async (agency, q) => recordStationCheckpoint(audit, await snapshot(), agency, q.note),
  );
  return [
    nc.subscribe(subjects.stationCheckpointAll, {
      callback: (err, msg) => void (err ? undefined : answerCheckpoint(msg).catch(failed)),
    }),
    nc.subscribe(subjects.replayAll, {
      callback: (err, msg) => void (err ? undefined : answerReplay(msg).catch(failed)),
    }),
    nc.subscribe(subjects.receiptsQueryAll, {
      callback: (err, msg) => void (err ? undefined : answerReceipts(msg).catch(failed)),
    }),
    nc.subscribe(subjects.planAll, {
      callback: (err, msg) => void (err ? undefined : answerPlan(msg).catch(failed)),
    }),
    nc.subscribe(subjects.directoryAll, {
      callback: (err, msg) => void (err ? undefined : answerDirectory(msg).catch(failed)),
    }),
  ];
}
