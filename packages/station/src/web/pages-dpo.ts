import { checkStationLog } from '@liaison/audit-log';
import type { SignedEntry } from '../access-log.js';
import type { Station } from '../station.js';
import { type Html, html } from './html.js';
import { COLOURS, count, stackedBars, tally, weekOf } from './svg-charts.js';

type Overview = ReturnType<Station['dpoOverview']>;

const LEVELS = [
  { name: 'operational', colour: COLOURS.operational },
  { name: 'strategic', colour: COLOURS.strategic },
];
const ACTIONS = [
  { name: 'consult', colour: '#1f4e79' },
  { name: 'disclose', colour: '#c62828' },
  { name: 'search', colour: '#7fb2e5' },
  { name: 'lifecycle', colour: '#9e9e9e' },
];
const actionGroup = (a: string) => (a === 'consult' || a === 'disclose' || a === 'search' ? a : 'lifecycle');

function integrity(o: Overview): Html {
  const ok = o.verified.problems.length === 0;
  const r = o.recorded;
  const found = r
    ? checkStationLog([{ index: -1, at: r.at, agency: '', size: r.size, root: r.root, note: '' }], o.view)
    : [];
  return html`<section aria-labelledby="integrity-h"><h2 id="integrity-h">Integrity</h2>
    <p class="${ok ? 'ok' : 'error'}" role="status">${
      ok ? `All ${o.verified.size} entries verified.` : `Problems: ${o.verified.problems.join('; ')}`
    }</p>
    <p>${
      r
        ? html`The exchange's audit log recorded this log's checkpoint at size ${r.size} (${r.at.slice(0, 19).replace('T', ' ')} UTC):
          <span class="${found.length ? 'error' : 'ok'}">${found.length ? 'the log is NOT an extension of it' : 'the log is an extension of it'}</span>.`
        : 'No checkpoint of this log has been recorded by the exchange yet (it is handed in every few minutes while the log grows).'
    }</p></section>`;
}

/** The DPO's and auditor's page: integrity, who consulted what, the traffic, and a notice's access history. */
export function dpoPage(o: Overview): Html {
  const byOfficer = tally(
    o.entries.map(({ entry: e }) => ({ category: e.officer.username, series: actionGroup(e.action) })),
    ACTIONS,
    'byTotal',
  );
  const consults = o.entries.filter((e) => e.entry.action === 'consult').length;
  const received = tally(
    o.received.map((r) => ({ category: r.sender, series: r.level })),
    LEVELS,
    'byTotal',
  );
  const sent = tally(
    o.sent.flatMap((s) => s.recipients.map((r) => ({ category: r.recipient, series: r.level }))),
    LEVELS,
    'byTotal',
  );
  const weeks = tally(
    [
      ...o.received.map((r) => ({ category: weekOf(r.receivedAt), series: 'received' })),
      ...o.sent.map((s) => ({ category: weekOf(s.sentAt), series: 'sent' })),
    ],
    [
      { name: 'received', colour: COLOURS.operational },
      { name: 'sent', colour: COLOURS.inTime },
    ],
  );
  const now = Date.now();
  const outcome = (r: Overview['requests'][number]) =>
    r.answeredAt !== undefined
      ? r.answeredAt <= r.dueAt
        ? 'answered in time'
        : 'answered late'
      : r.dueAt < now
        ? 'overdue, unanswered'
        : 'open, not yet due';
  const deadlines = tally(
    o.requests.map((r) => ({ category: r.sender, series: outcome(r) })),
    [
      { name: 'answered in time', colour: COLOURS.inTime },
      { name: 'answered late', colour: COLOURS.late },
      { name: 'overdue, unanswered', colour: COLOURS.overdue },
      { name: 'open, not yet due', colour: COLOURS.open },
    ],
    'byTotal',
  );
  const inTime = o.requests.filter((r) => outcome(r) === 'answered in time').length;
  return html`${integrity(o)}
  <section aria-labelledby="notice-h"><h2 id="notice-h">A notice's access history and proofs</h2>
    <form method="get" action="/dpo/notice" class="filters">
      <label>Notice id<input name="id" required maxlength="40" pattern="[0-9a-f-]{36}" autocomplete="off"></label>
      <button type="submit">Show history and proofs</button></form></section>
  <section aria-labelledby="who-h"><h2 id="who-h">Who consulted what</h2>
    ${stackedBars({
      id: 'officers',
      title: 'Access-log entries per officer and action',
      summary: `${count(o.entries.length, 'entry', 'entries')} by ${count(byOfficer.categories.length, 'officer')} (the station itself as "station"); ${count(consults, 'consultation')}.`,
      ...byOfficer,
    })}</section>
  <section aria-labelledby="deadlines-h"><h2 id="deadlines-h">Deadline compliance</h2>
    ${stackedBars({
      id: 'deadlines',
      title: 'Information requests received, by requester and outcome (Directive 2023/977 Art. 5)',
      summary: `${count(o.requests.length, 'request')} received; ${inTime} answered from this station within the deadline.`,
      ...deadlines,
    })}</section>
  <section aria-labelledby="traffic-h"><h2 id="traffic-h">Traffic</h2>
    ${stackedBars({
      id: 'received',
      title: 'Notices received per partner and level',
      summary: `${count(o.received.length, 'notice')} from ${count(received.categories.length, 'sender')}.`,
      ...received,
    })}
    ${stackedBars({
      id: 'sent',
      title: 'Deliveries of what this agency sent, per partner and level',
      summary: `${count(o.sent.length, 'notice')} sent, delivered to ${count(sent.categories.length, 'recipient')}.`,
      ...sent,
    })}
    ${stackedBars({
      id: 'weeks',
      title: 'Traffic over time (per week)',
      summary: `${count(weeks.categories.length, 'week')} with traffic.`,
      categories: weeks.categories.map((w) => `week of ${w}`),
      series: weeks.series,
    })}</section>`;
}

/** Every access-log entry of one notice, each with its RFC 9162 inclusion proof against the signed checkpoint. */
export function noticeAccessPage(
  id: string,
  rows: { entry: SignedEntry; proof: { leafHash: string; path: string[]; size: number } }[],
  checkpoint: string,
): Html {
  return html`<p>Checked against the station's signed checkpoint:</p><pre class="checkpoint">${checkpoint}</pre>
    <table class="access-history"><caption>Access history of <code>${id}</code> (${rows.length} entries)</caption>
    <thead><tr><th scope="col">#</th><th scope="col">Time (UTC)</th><th scope="col">Officer</th><th scope="col">Action</th>
      <th scope="col">Purpose</th><th scope="col">Leaf hash</th><th scope="col">Inclusion proof</th></tr></thead>
    <tbody>${rows.map(
      ({
        entry: { entry: e },
        proof: p,
      }) => html`<tr><td>${e.seq}</td><td>${e.at.replace('T', ' ').slice(0, 19)}</td>
        <td>${e.officer.username} (${e.officer.role})</td><td>${e.action}</td><td>${e.purpose}</td>
        <td><code>${p.leafHash.slice(0, 16)}…</code></td>
        <td><details><summary>${p.path.length} hashes, tree of ${p.size}</summary><ol>${p.path.map(
          (h) => html`<li><code>${h}</code></li>`,
        )}</ol></details> <a href="/access-log/${e.seq}/proof">JSON</a></td></tr>`,
    )}</tbody></table>`;
}
