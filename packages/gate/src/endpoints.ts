import type { Logger } from '@liaison/core';
import { type AgencyKeys, AudienceRequestSchema } from '@liaison/envelope';
import { LAYER_NAMES, MarkingsSchema, NOTICE_KINDS } from '@liaison/notice';
import { decideAll, noticeFacts } from '@liaison/policy';
import { currentKey, type RegistrySnapshot } from '@liaison/registry';
import type { Subjects } from '@liaison/topology';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { z } from 'zod';
import { DIRECTORY_TYP, PLAN_TYP, signStatement } from './statements.js';

/** What a sender asks before sealing: the header facts of the notice it is about to send. */
export const PlanRequestSchema = z.object({
  kind: z.enum(NOTICE_KINDS),
  markings: MarkingsSchema,
  layers: z.array(z.enum(LAYER_NAMES)).min(1),
  audience: AudienceRequestSchema.optional(),
});
export type PlanRequest = z.infer<typeof PlanRequestSchema>;

const enc = new TextEncoder();

/**
 * The gate's request-reply endpoints:
 * - `<prefix>.gate.plan.<agency>`: recipients, levels and encryption keys for a
 *   notice the agency is about to seal, under the current policy, signed by the gate;
 * - `<prefix>.gate.directory`: every agency's public keys with validity and
 *   revocation, signed by the gate (recipients verify senders with it).
 * Agencies never read the policy stream themselves.
 */
export function serveEndpoints(
  nc: NatsConnection,
  subjects: Subjects,
  gate: AgencyKeys,
  snapshot: () => Promise<RegistrySnapshot>,
  logger: Logger,
): Subscription[] {
  const answerPlan = async (msg: Msg): Promise<void> => {
    const agency = msg.subject.slice(msg.subject.lastIndexOf('.') + 1);
    try {
      const parsed = PlanRequestSchema.safeParse(JSON.parse(new TextDecoder().decode(msg.data)));
      if (!parsed.success) {
        msg.respond(
          enc.encode(
            JSON.stringify({
              error: {
                code: 'BAD_REQUEST',
                issues: parsed.error.issues.map((i) => ({ code: i.code, path: i.path })),
              },
            }),
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
        audience: r.audience ?? {},
      });
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
      logger.warn({ err: String(e) }, 'plan request failed');
      msg.respond(enc.encode(JSON.stringify({ error: { code: 'BAD_REQUEST' } })));
    }
  };
  const failed = (e: unknown) => logger.warn({ err: String(e) }, 'request not answered');
  const answerDirectory = async (msg: Msg): Promise<void> => {
    const s = await snapshot();
    const keys = [...s.keys.values()].flat();
    msg.respond(
      enc.encode(
        await signStatement(
          { type: 'directory', revision: s.revision, at: Date.now(), keys },
          gate,
          DIRECTORY_TYP,
        ),
      ),
    );
  };
  return [
    nc.subscribe(subjects.planAll, {
      callback: (err, msg) => void (err ? undefined : answerPlan(msg).catch(failed)),
    }),
    nc.subscribe(subjects.directory, {
      callback: (err, msg) => void (err ? undefined : answerDirectory(msg).catch(failed)),
    }),
  ];
}
