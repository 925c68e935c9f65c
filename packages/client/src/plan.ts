import type { AudienceRequest, ProvenanceRequest, PublicKeyRecord, SealRecipient } from '@liaison/envelope';
import type { LayerName, ValidNotice } from '@liaison/notice';
import type { NatsConnection } from '@nats-io/transport-node';
import { askGate } from './ask-gate.js';
import { planProvenance } from './conversation.js';
import { planError } from './errors.js';
import { verifyPlanAnswer } from './gate-statements.js';
import { askOrCached, type PlanCache } from './plan-cache.js';

const enc = new TextEncoder();

export interface PlanRecipient {
  agency: string;
  level: 'operational' | 'strategic';
  layers: LayerName[];
  encryptionKey?: PublicKeyRecord;
}

/** The recipients to seal a notice for, from the gate's plan: those it gave a key for. */
export function sealRecipientsOf(plan: readonly PlanRecipient[]): SealRecipient[] {
  return plan
    .filter((r) => r.encryptionKey)
    .map((r) => ({ agency: r.agency, encryptionKey: r.encryptionKey!, layers: r.layers }));
}

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
  cache?: PlanCache,
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
  // A site cut off from the hub seals with a signed plan it kept (the gate decides again on arrival).
  const text = await askOrCached(cache, JSON.stringify(request), (body, fallback) =>
    askGate(nc, subject, enc.encode(body), fallback ? { totalMs: 5000 } : {}),
  );
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
