import type { AmendmentConfirmation } from '@liaison/client';
import type { AmendmentReceived } from '../lifecycle/amendments-received.js';
import type { ReviewLine } from '../lifecycle/station-lifecycle.js';
import { type Html, html } from './html.js';
import { purposeFields } from './pages-notice.js';

// The lifecycle pages (docs/lifecycle.md): the review list with its decisions, the
// re-disclosure of masked PNR data with its authorisation, and the provider amendments
// received and sent. Header metadata, dates and codes only: no content is shown here.

const day = (ms: number | undefined) => (ms === undefined ? '—' : new Date(ms).toISOString().slice(0, 10));
const when = (ms: number | undefined) =>
  ms === undefined ? '—' : `${new Date(ms).toISOString().replace('T', ' ').slice(0, 16)} UTC`;

function decisionForm(l: ReviewLine, csrf: string, before: string): Html {
  const id = l.entry.noticeId;
  return html`<form method="post" action="/reviews/${id}" class="review" aria-label="review ${id}">
      <input type="hidden" name="_csrf" value="${csrf}">
      <input type="hidden" name="before" value="${before}">
      <fieldset><legend>Decision</legend>
        <label><input type="radio" name="decision" value="keep" required> Keep</label>
        <label><input type="radio" name="decision" value="expire"> Let it expire</label>
      </fieldset>
      <label>Reason (to keep: 10–500 characters)<textarea name="reason" maxlength="500" rows="2"></textarea></label>
      <label>Keep until<input type="date" name="until"></label>
      <button type="submit">Record decision</button>
    </form>`;
}

/** Notices due for review before a date, each with its decision form; masked PNR hits for a supervisor. */
export function reviewsPage(
  lines: ReviewLine[],
  o: {
    before: string;
    csrf: string;
    canDecide: boolean;
    masked: ReviewLine[] | undefined;
    recorded?: string;
  },
): Html {
  return html`${o.recorded ? html`<p class="notice" role="status">Decision recorded for ${o.recorded}.</p>` : ''}
  <p>Personal data is reviewed by its review date (Europol Regulation Art. 31): keep it, with a reason, until
    a new date (at most three years), or let it expire — it is erased at its review date. Each decision is
    recorded in the access log with your name.</p>
  <form method="get" action="/reviews" role="search" aria-label="reviews due">
    <label>Due before<input type="date" name="before" value="${o.before}" required></label>
    <button type="submit">Show</button>
  </form>
  <table class="reviews"><caption>Due for review, soonest first</caption>
    <thead><tr><th scope="col">Review by</th><th scope="col">Kind</th><th scope="col">Sender</th>
      <th scope="col">Received</th><th scope="col">Case</th><th scope="col">Class</th><th scope="col">State</th>
      ${o.canDecide ? html`<th scope="col">Decision</th>` : ''}</tr></thead>
    <tbody>${lines.map(
      (l) => html`<tr data-notice="${l.entry.noticeId}"><td>${day(l.lifecycle.reviewAt)}</td>
        <td>${l.entry.kind}</td><td>${l.entry.sender}</td><td>${when(l.entry.receivedAt)}</td>
        <td>${l.entry.caseReference ?? '—'}</td><td>${l.lifecycle.retentionClass}</td>
        <td>${l.lifecycle.code === 'EXPIRE' ? 'expires at review' : l.lifecycle.state}</td>
        ${o.canDecide ? html`<td>${decisionForm(l, o.csrf, o.before)}</td>` : ''}</tr>`,
    )}</tbody></table>
  ${lines.length === 0 ? html`<p>No notice is due for review before ${o.before}.</p>` : ''}
  ${
    o.masked
      ? html`<section aria-labelledby="masked"><h2 id="masked">Masked PNR hits (Directive 2016/681 Art. 12)</h2>
    <table class="masked"><thead><tr><th scope="col">Masked</th><th scope="col">Sender</th>
      <th scope="col">Case</th><th scope="col"></th></tr></thead>
    <tbody>${o.masked.map(
      (
        l,
      ) => html`<tr data-notice="${l.entry.noticeId}"><td>${when(l.lifecycle.changedAt)}</td><td>${l.entry.sender}</td>
        <td>${l.entry.caseReference ?? '—'}</td>
        <td><a href="/notices/${l.entry.noticeId}/redisclose">Re-disclose with authorisation</a></td></tr>`,
    )}</tbody></table>
    ${o.masked.length === 0 ? html`<p>None.</p>` : ''}</section>`
      : ''
  }`;
}

/** Re-disclosing masked PNR data needs the authority's approval (Art. 12(3)), recorded before anything is shown. */
export function redisclosureForm(l: ReviewLine, csrf: string): Html {
  return html`<p>This passenger-data hit is masked: after six months the identifying fields may be disclosed
    in full only with the approval of a judicial or other competent authority (PNR Directive Art. 12(3)).
    The authorisation is recorded in the access log with your name before the content is shown.</p>
    <dl class="markings"><dt>Sender</dt><dd>${l.entry.sender}</dd><dt>Case</dt><dd>${l.entry.caseReference ?? '—'}</dd>
    <dt>Masked</dt><dd>${when(l.lifecycle.changedAt)}</dd></dl>
    <form method="post" action="/notices/${l.entry.noticeId}/redisclose">
      <input type="hidden" name="_csrf" value="${csrf}">
      <label>Authority that approved it<input name="authority" required minlength="3" maxlength="200" autocomplete="off"></label>
      <label>Its reference<input name="reference" required maxlength="100" autocomplete="off"></label>
      <label>Date of its decision<input type="date" name="decidedAt" required></label>
      ${purposeFields()}
      <button type="submit">Re-disclose in full</button>
    </form>`;
}

/** Amendments received (applied and confirmed) and, for the provider, who confirmed one it sent. */
export function amendmentsPage(
  received: AmendmentReceived[],
  o: { canSeeSent: boolean; sent?: string; status?: AmendmentConfirmation[] },
): Html {
  const confirmed = o.status?.filter((s) => s.confirmed).length ?? 0;
  return html`<section aria-labelledby="received"><h2 id="received">Received: rectifications and erasure requests</h2>
    <p>The station applies a provider's amendment as it arrives (LED Art. 16) and confirms it with a signed receipt.</p>
    <table class="amendments"><thead><tr><th scope="col">Applied</th><th scope="col">Sender</th>
      <th scope="col">Action</th><th scope="col">Reason</th><th scope="col">Notices</th><th scope="col">Confirmation</th></tr></thead>
    <tbody>${received.map(
      (a) => html`<tr data-amendment="${a.amendmentId}"><td>${when(a.appliedAt)}</td><td>${a.sender}</td>
        <td>${a.action}</td><td>${a.reason}</td><td>${a.notices.map((n) => html`<code>${n}</code> `)}</td>
        <td>${a.confirmedAt === undefined ? 'not yet sent' : html`confirmed ${when(a.confirmedAt)}`}</td></tr>`,
    )}</tbody></table>
    ${received.length === 0 ? html`<p>None received.</p>` : ''}</section>
  ${
    o.canSeeSent
      ? html`<section aria-labelledby="sent"><h2 id="sent">Sent: who has confirmed</h2>
    <form method="get" action="/amendments" role="search" aria-label="confirmations">
      <label>Amendment id<input name="sent" value="${o.sent ?? ''}" required pattern="[0-9a-f-]{36}" autocomplete="off"></label>
      <button type="submit">Show confirmations</button>
    </form>
    ${
      o.status
        ? html`<p class="counts">${confirmed} of ${o.status.length} recipients confirmed.</p>
      <table class="confirmations"><thead><tr><th scope="col">Recipient</th><th scope="col">Confirmed</th>
        <th scope="col">Outcome</th><th scope="col">At</th></tr></thead>
      <tbody>${o.status.map(
        (
          s,
        ) => html`<tr data-recipient="${s.recipient}"><td>${s.recipient}</td><td>${s.confirmed ? 'yes' : 'no'}</td>
          <td>${s.outcome ?? '—'}</td><td>${when(s.at)}</td></tr>`,
      )}</tbody></table>`
        : ''
    }</section>`
      : ''
  }`;
}
