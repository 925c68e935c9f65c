import { rmSync } from 'node:fs';
import { DEMO_AGENCIES } from '@liaison/fixtures';
import { STREAMS } from '@liaison/topology';
import { jetstreamManager } from '@nats-io/jetstream';
import { ChaosAgency, EXTRA_AGENCIES } from './agencies.js';
import { check, type Findings, passed } from './check.js';
import { ClusterExchange, GATE_ID } from './exchange.js';
import { type Fault, FaultScheduler } from './faults.js';
import { Rng } from './rng.js';

export interface CampaignOptions {
  seed: number;
  /** How long the agencies publish while faults are injected (ms). */
  durationMs: number;
  /** Publishing agencies (10–15). */
  agencies: number;
  /** Notices per second per agency. */
  ratePerSec: number;
  /** How long to wait for the exchange to settle after the last fault (ms). */
  settleMs?: number;
  say?: (line: string) => void;
}

export interface CampaignResult {
  ok: boolean;
  findings: Findings;
  faults: Fault[];
  /** Service processes that exited by themselves and were started again (a start during an election). */
  serviceRestarts: number;
  summary: string;
}

const PUBLISHERS = [...DEMO_AGENCIES, ...EXTRA_AGENCIES].filter((a) => a.roles.includes('publisher'));

/**
 * The fault campaign: a 3-node R3 cluster, two gates and the audit-log writer as
 * processes, 10–15 agencies publishing at a fixed rate and reading their feeds, while
 * the seeded scheduler kills, restarts and pauses nodes and services. Then it lets the
 * exchange settle (everything running again) and checks it against the agencies' own
 * records. Bounded: it stops after `durationMs` plus the settling time, and ends every
 * process it started.
 */
export async function runCampaign(o: CampaignOptions): Promise<CampaignResult> {
  const say = o.say ?? (() => undefined);
  const rng = new Rng(o.seed);
  const t0 = Date.now();
  say(`seed ${o.seed}, ${o.agencies} agencies × ${o.ratePerSec}/s for ${o.durationMs / 1000} s`);
  const x = await ClusterExchange.start({
    agencies: [...DEMO_AGENCIES, ...EXTRA_AGENCIES],
    gateEnv: { LIAISON_INTAKE_RATE: '0' },
  });
  let ok = false;
  try {
    const gateKeys = [x.keys.get(GATE_ID)!.signing.record];
    const publishers = new Set(PUBLISHERS.slice(0, o.agencies).map((a) => a.id));
    // Every agency of the directory reads its feed; the first N publish.
    const ids = [...DEMO_AGENCIES, ...EXTRA_AGENCIES]
      .filter((a) => a.roles.includes('subscriber'))
      .map((a) => a.id);
    const agencies = await Promise.all(
      ids.map(async (id) =>
        ChaosAgency.connect(await x.connection(id), x.keys.get(id)!, gateKeys, publishers.has(id)),
      ),
    );
    const until = Date.now() + o.durationMs;
    for (const a of agencies) a.start(o.ratePerSec, until);
    const faults = await new FaultScheduler(x, rng, t0, say).run(until);
    for (const a of agencies) a.stopPublishing();
    for (const p of x.services) p.resume();
    say(`faults over after ${((Date.now() - t0) / 1000).toFixed(0)} s; settling`);
    await settle(x, agencies, o.settleMs ?? 90_000);
    say(`settled after ${((Date.now() - t0) / 1000).toFixed(0)} s; checking`);
    for (const a of agencies) await a.close();
    for (const p of x.services) await p.stop(); // gates write their refusal summaries
    const findings = await check(
      x,
      agencies.flatMap((a) => a.sent),
      agencies.flatMap((a) => [...a.seen.values()]),
    );
    ok = passed(findings);
    const serviceRestarts = x.services.reduce((n, p) => n + p.exits, 0);
    const summary = summarise(findings, faults, serviceRestarts, o);
    say(summary);
    return { ok, findings, faults, serviceRestarts, summary };
  } finally {
    await x.dispose();
    if (ok) rmSync(x.dir, { recursive: true, force: true });
    else say(`service logs kept in ${x.dir}`);
  }
}

/**
 * Waits until the work queues are empty and the readers have seen nothing new for a
 * few seconds (or `timeoutMs` passes): every redelivery has had its chance.
 */
async function settle(x: ClusterExchange, agencies: ChaosAgency[], timeoutMs: number): Promise<void> {
  const jsm = await jetstreamManager(x.admin);
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1000));
    const seen = agencies.reduce((n, a) => n + a.seen.size, 0);
    if (seen !== last) {
      last = seen;
      quietSince = Date.now();
    }
    const queued = await Promise.all(
      [STREAMS.intake, STREAMS.auditIn, STREAMS.acks].map((s) =>
        jsm.streams.info(s).then(
          (i) => i.state.messages,
          () => 1,
        ),
      ),
    );
    if (queued.every((n) => n === 0) && Date.now() - quietSince > 5000) return;
  }
}

function summarise(f: Findings, faults: Fault[], restarts: number, o: CampaignOptions): string {
  const byKind = new Map<string, number>();
  for (const x of faults) byKind.set(x.kind, (byKind.get(x.kind) ?? 0) + 1);
  const list = (xs: string[]) =>
    xs.length ? ` [${xs.slice(0, 5).join('; ')}${xs.length > 5 ? '; …' : ''}]` : '';
  const rejected = Object.entries(f.rejected).map(([c, n]) => `${c} ${n}`);
  return [
    `chaos seed ${o.seed}: ${passed(f) ? 'PASSED' : 'FAILED'}`,
    `  notices     ${f.notices} published (${f.givenUp} given up by their senders), ${f.accepted} accepted, ${
      f.notices - f.givenUp - f.accepted - f.unanswered.length
    } rejected${rejected.length ? ` (${rejected.join(', ')})` : ''}, unanswered ${f.unanswered.length}${list(
      f.unanswered,
    )}, conflicting ${f.conflicting.length}`,
    `  deliveries  ${f.deliveries} on the feeds for ${f.expectedDeliveries} entitled: lost ${f.lost.length}${list(
      f.lost,
    )}, duplicated ${f.duplicated.length}${list(f.duplicated)}, not entitled ${f.notEntitled.length}${list(
      f.notEntitled,
    )}, unseen by readers ${f.unseen.length}${list(f.unseen)} (handed to a reader again: ${f.redeliveredToReaders})`,
    `  reads       ${f.readReceiptsSent} read receipts sent, ${f.readReceiptsRelayed} relayed: lost ${
      f.readLost.length
    }${list(f.readLost)}, duplicated ${f.readDuplicated.length}${list(f.readDuplicated)}`,
    `  audit log   ${f.auditRecords} records, verify: ${f.auditDiscrepancies.length} discrepancies${list(
      f.auditDiscrepancies,
    )}; submissions not exactly once: ${f.auditNotOnce.length}${list(f.auditNotOnce)}`,
    `  faults      ${faults.length} (${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')}); services restarted after exiting by themselves: ${restarts}`,
    `  delay       publish → first seen by the recipient: max ${(f.maxDeliveryDelayMs / 1000).toFixed(1)} s, p99 ${(
      f.p99DeliveryDelayMs / 1000
    ).toFixed(1)} s`,
  ].join('\n');
}
