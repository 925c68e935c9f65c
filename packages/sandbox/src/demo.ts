import type { SubmissionReceipt } from '@liaison/envelope';
import { DEMO_AGENCIES, exampleNotices } from '@liaison/fixtures';
import { validateNotice } from '@liaison/notice';
import { decide, explain, noticeFacts } from '@liaison/policy';
import { runConversationDemo } from './demo-conversation.js';
import { takeFromFeed } from './read-feed.js';
import type { Sandbox } from './sandbox.js';

type Line = (text: string) => void;

const PERSONAL_SUMMARY: Record<string, (b: Record<string, unknown>) => string> = {
  'border-alert': (b) => {
    const p = b.person as
      | { surname?: string; givenNames?: string; dateOfBirth?: string; nationality?: string }
      | undefined;
    return p
      ? `person ${p.givenNames ?? ''} ${p.surname?.toUpperCase()} (${p.dateOfBirth}, ${p.nationality}), document ${b.documentNumber}`
      : '';
  },
  'passenger-data-hit': (b) => {
    const p = b.passenger as { surname?: string; givenNames?: string } | undefined;
    return p
      ? `passenger ${p.givenNames ?? ''} ${p.surname?.toUpperCase()}, booking ${b.bookingLocator}, seat ${b.seat}`
      : '';
  },
  'threat-notice': () => '',
};

const STRATEGIC_SUMMARY: Record<string, (b: Record<string, unknown>) => string> = {
  'border-alert': (b) =>
    `${b.eventType} at ${b.crossingPoint} (${b.direction}, ${b.observedAt}), ${b.documentType} issued by ${b.documentIssuingCountry}, matched ${b.matchedAgainst}`,
  'passenger-data-hit': (b) => {
    const f = b.flight as {
      carrier: string;
      number: string;
      departureAirport: string;
      arrivalAirport: string;
    };
    return `flight ${f.carrier}${f.number} ${f.departureAirport}→${f.arrivalAirport}, ${b.matchedAgainst} ${b.matchReference}, ${b.offenceCategory}`;
  },
  'threat-notice': (b) => `${b.threatCategory}: ${b.title}`,
};

/**
 * The demo: three realistic notices from realistic senders, then per recipient
 * what it could read; then the receipts. Returns what each recipient received
 * (for the demo's own test).
 */
export async function runDemo(sandbox: Sandbox, line: Line): Promise<Map<string, Map<string, string>>> {
  const ex = exampleNotices();
  // The border police let strategic partners see this alert, coarsened (signed opt-in).
  const alert = {
    ...ex.borderAlert,
    markings: { ...(ex.borderAlert.markings as object), strategicOptIn: true },
  };
  const sends: [string, string, unknown][] = [
    ['at-bmi', 'Border alert: stolen passport presented at Nickelsdorf (strategic opt-in)', alert],
    ['nl-piu', 'Passenger-data hit: PNR risk criterion, GRU→AMS', ex.passengerDataHit],
    ['eu-europol', 'Threat notice: designer precursors via North Sea ports', ex.threatNotice],
  ];
  const receipts: { sender: string; title: string; receipt: SubmissionReceipt; notice: unknown }[] = [];
  for (const [sender, title, notice] of sends) {
    const receipt = await (await sandbox.client(sender)).publish(notice);
    receipts.push({ sender, title, receipt, notice });
  }
  const expected = new Map<string, number>();
  for (const { receipt } of receipts)
    for (const r of receipt.recipients) expected.set(r.recipient, (expected.get(r.recipient) ?? 0) + 1);

  const seen = new Map<string, Map<string, string>>();
  const summaries = new Map<string, string>();
  for (const agency of DEMO_AGENCIES.filter((a) => a.roles.includes('subscriber'))) {
    const items = await takeFromFeed(await sandbox.client(agency.id), expected.get(agency.id) ?? 0);
    seen.set(agency.id, new Map(items.map((i) => [i.notice.noticeId, i.notice.level])));
    for (const i of items) {
      const key = `${agency.id}/${i.notice.noticeId}`;
      const personal =
        i.notice.level === 'operational' ? PERSONAL_SUMMARY[i.notice.kind]!(i.notice.body) : '';
      summaries.set(
        key,
        `${STRATEGIC_SUMMARY[i.notice.kind]!(i.notice.body)}${personal ? ` | ${personal}` : ''}`,
      );
    }
  }

  const snapshot = sandbox.store.registry.current;
  for (const { sender, title, receipt, notice } of receipts) {
    const v = validateNotice(notice);
    const m = v.markings;
    line('');
    line(`${title}`);
    line(
      `  from ${sender}, notice ${receipt.noticeId}, ${m.handlingCode}, evaluation ${m.evaluation.source}${m.evaluation.information}${m.tlp ? `, ${m.tlp}` : ''}, policy revision ${receipt.policyRevision}`,
    );
    for (const agency of DEMO_AGENCIES.filter((a) => a.roles.includes('subscriber') && a.id !== sender)) {
      const level = seen.get(agency.id)?.get(receipt.noticeId);
      if (level) {
        line(
          `  ${agency.id.padEnd(11)} ${level.padEnd(12)} ${summaries.get(`${agency.id}/${receipt.noticeId}`)}`,
        );
      } else {
        const facts = noticeFacts({
          sender,
          kind: v.kind,
          createdAt: Date.now(),
          markings: m,
          layers: (['strategic', 'operational'] as const).filter((l) => v.layers[l] !== undefined),
          audience: {},
        });
        const why = explain(decide(facts, agency.id, snapshot, Date.now())).replace(/^.*? because it /, '');
        line(`  ${agency.id.padEnd(11)} ${'nothing'.padEnd(12)} ${why}`);
      }
    }
  }

  line('');
  line('Receipts (delivered / read, signed by the gate and by each recipient):');
  for (const { sender, receipt } of receipts) {
    const client = await sandbox.client(sender);
    let status = await client.receiptsFor(receipt.noticeId);
    // Read receipts travel recipient → gate → sender; give them a moment.
    for (let i = 0; i < 30 && status.some((s) => !s.readAt); i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = await client.receiptsFor(receipt.noticeId);
    }
    line(
      `  ${receipt.noticeId} ${status.map((s) => `${s.recipient}:${s.readAt ? 'read' : 'delivered'}`).join(' ')}`,
    );
  }
  await runConversationDemo(sandbox, line);
  line('');
  await sandbox.auditSettled();
  await sandbox.auditLog?.checkpoint();
  const report = await sandbox.verifyAudit();
  line(
    `Audit log: ${report.entries} entries, ${report.checkpoints} signed checkpoints, root ${report.root.slice(0, 16)}… — ` +
      (report.ok
        ? 'verified: chain, checkpoints, every signature, every decision re-derived from the registry'
        : `${report.discrepancies.length} DISCREPANCIES: ${report.discrepancies.map((d) => d.code).join(', ')}`),
  );
  return seen;
}
