import type { AudienceRequest, ProvenanceRequest, PublicKeyRecord } from '@liaison/envelope';
import type { ValidNotice } from '@liaison/notice';
import type { NatsConnection } from '@nats-io/transport-node';
import type { PlanRecipient } from './client.js';
import { planProvenance } from './conversation.js';
import { planError } from './errors.js';
import { verifyPlanAnswer } from './gate-statements.js';

const enc = new TextEncoder();

/**
 * Asks the gate whom a validated notice would go to, at which level, with which keys:
 * its header facts (and, for a reply or forward, its provenance) on the agency's plan
 * subject; the answer is a gate-signed plan, verified with the pinned gate keys.
 */
export async function requestPlan(
  nc: NatsConnection,
  subject: string,
  gateKeys: readonly PublicKeyRecord[],
  agency: string,
  v: ValidNotice,
  audience: AudienceRequest,
  provenance?: ProvenanceRequest,
): Promise<PlanRecipient[]> {
  const layers = (['strategic', 'operational'] as const).filter((l) => v.layers[l] !== undefined);
  const request = {
    kind: v.kind,
    markings: v.markings,
    layers,
    personalData: v.personalData,
    audience,
    ...planProvenance(provenance),
  };
  const reply = await nc.request(subject, enc.encode(JSON.stringify(request)), { timeout: 5000 });
  const text = reply.string();
  if (text.startsWith('{')) {
    let answer: { error?: { code?: string } } | undefined;
    try {
      answer = JSON.parse(text);
    } catch {
      answer = undefined; // not JSON: verifyPlanAnswer refuses it with PLAN_FAILED
    }
    if (answer) throw planError(answer);
  }
  // A signed plan for this agency, of the right shape (BAD_GATE_SIGNATURE otherwise).
  return verifyPlanAnswer(text, gateKeys, agency);
}
