import type { HistoryRow, NoticeProof, RecordedStationCheckpoint, StatsReport } from '@liaison/audit-log';
import { type Html, html } from '../html.js';
import { COLOURS, count, stackedBars, tally, weekOf } from '../svg-charts.js';
import type { VerifyJob } from './verify-jobs.js';

const LEVELS = [
  { name: 'operational', colour: COLOURS.operational },
  { name: 'strategic', colour: COLOURS.strategic },
  { name: 'none', colour: COLOURS.none },
];

/** The deliveries of the history (one row per recipient): the traffic the pictures show. */
const deliveries = (rows: readonly HistoryRow[]) => rows.filter((r) => r.event === 'delivery');

export interface Period {
  from?: string;
  to?: string;
}

function periodForm(p: Period): Html {
  return html`<form method="get" action="/audit" class="filters" aria-label="period">
    <label>From (UTC date)<input type="date" name="from" value="${p.from ?? ''}"></label>
    <label>To (UTC date, exclusive)<input type="date" name="to" value="${p.to ?? ''}"></label>
    <button type="submit">Show</button></form>`;
}

function statsTable(s: StatsReport): Html {
  return html`<table class="stats"><caption>Directive (EU) 2023/977 Art. 18: requests per agency
    (${count(s.requests, 'request')}${s.from ? `, from ${s.from.slice(0, 10)}` : ''}${s.to ? ` to ${s.to.slice(0, 10)}` : ''};
    open requests judged at ${s.at.slice(0, 16).replace('T', ' ')} UTC)</caption>
    <thead><tr><th scope="col">Agency</th><th scope="col">Sent (urgent)</th><th scope="col">Received (urgent)</th>
      <th scope="col">Answered in time</th><th scope="col">Late</th><th scope="col">Open</th><th scope="col">Overdue</th>
      <th scope="col">Refusals by ground</th><th scope="col">Clarifications asked</th></tr></thead>
    <tbody>${s.agencies.map(
      (a) => html`<tr><th scope="row">${a.agency}</th><td>${a.sent.total} (${a.sent.urgent})</td>
        <td>${a.received.total} (${a.received.urgent})</td><td>${a.answered.inTime}</td><td>${a.answered.late}</td>
        <td>${a.answered.open}</td><td>${a.answered.overdue}</td>
        <td>${
          Object.entries(a.refusalsByGround)
            .map(([g, n]) => `${g}: ${n}`)
            .join(', ') || '—'
        }</td><td>${a.clarifications}</td></tr>`,
    )}${s.agencies.length ? '' : html`<tr><td colspan="9">No information request in this period.</td></tr>`}</tbody></table>`;
}

/** Deadline compliance per agency that received requests: in time, late, overdue, open. */
export function complianceChart(s: StatsReport): Html {
  const asked = s.agencies.filter((a) => a.received.total > 0);
  const series = [
    { name: 'answered in time', key: 'inTime', colour: COLOURS.inTime },
    { name: 'answered late', key: 'late', colour: COLOURS.late },
    { name: 'overdue, unanswered', key: 'overdue', colour: COLOURS.overdue },
    { name: 'open, not yet due', key: 'open', colour: COLOURS.open },
  ] as const;
  const inTime = asked.reduce((n, a) => n + a.answered.inTime, 0);
  const answered = asked.reduce((n, a) => n + a.answered.inTime + a.answered.late, 0);
  return stackedBars({
    id: 'compliance',
    title: 'Deadline compliance of requests received',
    summary: `${count(asked.length, 'agency', 'agencies')} received requests; ${inTime} of ${count(answered, 'answered request')} within the Art. 5 deadline.`,
    categories: asked.map((a) => a.agency),
    series: series.map((x) => ({
      name: x.name,
      colour: x.colour,
      values: asked.map((a) => a.answered[x.key]),
    })),
  });
}

/** Deliveries per partner (recipient) and sharing level. */
export function partnerChart(rows: readonly HistoryRow[]): Html {
  const d = deliveries(rows);
  const t = tally(
    d.map((r) => ({ category: r.to, series: r.level })),
    LEVELS,
    'byTotal',
  );
  const strategic = d.filter((r) => r.level === 'strategic').length;
  return stackedBars({
    id: 'partners',
    title: 'Traffic per partner and level',
    summary: `${count(d.length, 'delivery', 'deliveries')} to ${count(t.categories.length, 'recipient')}; ${strategic} at the strategic level (no personal data).`,
    ...t,
  });
}

/** Deliveries per week (Monday, UTC) and sharing level. */
export function weeklyChart(rows: readonly HistoryRow[]): Html {
  const d = deliveries(rows);
  const t = tally(
    d.map((r) => ({ category: weekOf(Date.parse(r.at)), series: r.level })),
    LEVELS,
  );
  const busiest = t.categories.reduce(
    (best, c, i) => {
      const n = t.series.reduce((s, x) => s + (x.values[i] ?? 0), 0);
      return n > best.n ? { c, n } : best;
    },
    { c: '', n: 0 },
  );
  return stackedBars({
    id: 'weeks',
    title: 'Traffic over time (deliveries per week, by level)',
    summary: `${count(t.categories.length, 'week')} with traffic${busiest.n ? `; the busiest, from ${busiest.c}, had ${count(busiest.n, 'delivery', 'deliveries')}` : ''}.`,
    categories: t.categories.map((w) => `week of ${w}`),
    series: t.series,
  });
}

export function overviewPage(o: {
  period: Period;
  stats: StatsReport;
  rows: readonly HistoryRow[];
  csrf: string;
}): Html {
  return html`${periodForm(o.period)}
  <section aria-labelledby="verify-h"><h2 id="verify-h">Verify the audit log</h2>
    <p>Rebuilds the Merkle tree from every record, checks every signed checkpoint and their consistency, verifies
      every signature the entries reference and re-derives every policy decision. Runs in the background; this
      console shows its progress.</p>
    <form method="post" action="/audit/verify"><input type="hidden" name="_csrf" value="${o.csrf}">
      <button type="submit">Verify the whole log</button></form></section>
  <section aria-labelledby="notice-h"><h2 id="notice-h">A notice's history and proofs</h2>
    <form method="get" action="/audit/notice" class="filters">
      <label>Notice id<input name="id" required maxlength="40" pattern="[0-9a-f-]{36}" autocomplete="off"></label>
      <button type="submit">Show history and proofs</button></form></section>
  <section aria-labelledby="stats-h"><h2 id="stats-h">Statistics</h2>
    ${statsTable(o.stats)}
    ${complianceChart(o.stats)}
    ${partnerChart(o.rows)}
    ${weeklyChart(o.rows)}
  </section>`;
}

export function verifyPage(job: VerifyJob): Html {
  if (!job.finishedAt) {
    const pct = job.total ? Math.floor((job.done / job.total) * 100) : 0;
    return html`<p role="status" aria-live="polite">Verifying: ${job.done} of ${job.total || '…'} records checked (${pct} %).
      This page refreshes itself every second.</p>
      <progress max="${job.total || 1}" value="${job.done}" aria-label="records checked">${pct} %</progress>`;
  }
  if (job.error || !job.report)
    return html`<p class="error" role="alert">The verification could not run: ${job.error ?? 'VERIFY_FAILED'}.</p>`;
  const r = job.report;
  const secs = ((job.finishedAt - job.startedAt) / 1000).toFixed(1);
  return html`<p class="${r.ok ? 'ok' : 'error'}" role="status">${r.ok ? 'OK' : 'FAILED'}: ${r.entries} entries,
    ${r.checkpoints} signed checkpoints, in ${secs} s.</p>
    <progress max="${r.entries || 1}" value="${r.entries}" aria-label="records checked">100 %</progress>
    <p>Root <code>${r.root}</code></p>
    ${
      r.discrepancies.length
        ? html`<table><caption>Findings</caption><thead><tr><th scope="col">Record</th><th scope="col">Code</th>
          <th scope="col">What</th></tr></thead><tbody>${r.discrepancies.map(
            (
              d,
            ) => html`<tr><td>${d.index < 0 ? (d.stream ?? 'log') : d.index}</td><td><code>${d.code}</code></td>
              <td>${d.message}</td></tr>`,
          )}</tbody></table>`
        : html`<p>No discrepancy: every entry checks out.</p>`
    }
    <p><a href="/audit">Back to the overview</a></p>`;
}

export function noticePage(id: string, rows: readonly HistoryRow[], proof: NoticeProof | undefined): Html {
  return html`<table class="history"><caption>History of <code>${id}</code> (metadata only, never content)</caption>
    <thead><tr><th scope="col">Time (UTC)</th><th scope="col">Event</th><th scope="col">Kind</th><th scope="col">From</th>
      <th scope="col">To</th><th scope="col">Level</th><th scope="col">Why</th><th scope="col">Policy revision</th></tr></thead>
    <tbody>${rows.map(
      (r) => html`<tr><td>${r.at.replace('T', ' ').slice(0, 19)}</td><td>${r.event}</td><td>${r.kind}</td>
        <td>${r.from}</td><td>${r.to || '—'}</td><td>${r.level || '—'}</td><td>${r.why}</td><td>${r.revision}</td></tr>`,
    )}</tbody></table>
    ${
      proof
        ? html`<section aria-labelledby="proofs-h"><h2 id="proofs-h">Inclusion proofs</h2>
      <p class="${proof.ok ? 'ok' : 'error'}" role="status">${
        proof.ok
          ? `Proven: all ${proof.proofs.length} entries are in the log of ${proof.checkpoint.size} entries.`
          : 'NOT proven: an entry is missing from the log or its proof fails.'
      }</p>
      <p>Signed checkpoint <code>${proof.checkpoint.origin}</code>, size ${proof.checkpoint.size},
        root <code>${proof.checkpoint.root}</code>.</p>
      <table class="proofs"><caption>RFC 9162 inclusion proofs, checked against that checkpoint</caption>
        <thead><tr><th scope="col">Record</th><th scope="col">Entry</th><th scope="col">Recipient</th>
          <th scope="col">Decisions</th><th scope="col">Included</th><th scope="col">Path</th></tr></thead>
        <tbody>${proof.proofs.map(
          (p) => html`<tr><td>${p.index}</td><td>${p.kind}</td><td>${p.recipient || '—'}</td>
            <td>${p.decisions.join(', ') || '—'}</td><td class="${p.ok ? 'ok' : 'error'}">${p.ok ? 'yes' : 'NO'}</td>
            <td><details><summary>${p.path.length} hashes</summary><ol>${p.path.map((h) => html`<li><code>${h}</code></li>`)}</ol></details></td></tr>`,
        )}</tbody></table></section>`
        : html`<p>No entry of this notice in the log.</p>`
    }`;
}

export function stationsPage(recorded: readonly RecordedStationCheckpoint[]): Html {
  return html`<p>Agency stations hand in the signed checkpoints of their access logs (LED Art. 25); the gate records each
    in the audit log. Ask a station's data protection officer for consistency proofs from these sizes: a station
    log rewritten after a recorded checkpoint cannot produce them (<code>checkStationLog</code>).</p>
    <table class="stations"><caption>Station checkpoints recorded in the audit log</caption>
    <thead><tr><th scope="col">Record</th><th scope="col">Recorded (UTC)</th><th scope="col">Station</th>
      <th scope="col">Log size</th><th scope="col">Root</th></tr></thead>
    <tbody>${recorded.map(
      (r) => html`<tr><td>${r.index}</td><td>${r.at.replace('T', ' ').slice(0, 19)}</td><td>${r.agency}</td>
        <td>${r.size}</td><td><code>${r.root}</code></td></tr>`,
    )}</tbody></table>`;
}
