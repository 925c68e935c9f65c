import type { ReceiptStatus } from '@liaison/client';
import {
  CRIME_AREAS,
  HANDLING_CODES,
  INFORMATION_ACCURACY,
  NOTICE_KINDS,
  type NoticeKind,
  PRIORITIES,
  SOURCE_RELIABILITY,
  TLP_LABELS,
} from '@liaison/notice';
import type { OutboxEntry } from '../outbox.js';
import type { Preview } from '../publishing.js';
import { type FormField, formFields } from '../schema-form.js';
import { type Html, html } from './html.js';
import { purposeFields } from './pages-notice.js';

type Values = Record<string, string | string[] | undefined>;

const when = (ms: number) => `${new Date(ms).toISOString().replace('T', ' ').slice(0, 16)} UTC`;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

function options(list: readonly string[], current: string, blank?: string): Html {
  return html`${blank === undefined ? '' : html`<option value="">${blank}</option>`}${list.map(
    (o) => html`<option value="${o}"${o === current ? html` selected` : ''}>${o}</option>`,
  )}`;
}

function input(f: FormField, v: string): Html {
  const name = `body.${f.name}`;
  const req = f.required ? html` required` : '';
  const max = f.maxLength ? html` maxlength="${f.maxLength}"` : '';
  switch (f.input) {
    case 'select':
      return html`<select name="${name}"${req}>${options(f.options ?? [], v, f.required ? undefined : '—')}</select>`;
    case 'datetime':
      return html`<input type="datetime-local" name="${name}" value="${v}"${req}>`;
    case 'date':
      return html`<input type="date" name="${name}" value="${v}"${req}>`;
    case 'number':
      return html`<input type="number" step="any" name="${name}" value="${v}"${req}>`;
    case 'text':
      return html`<input name="${name}" value="${v}" autocomplete="off"${req}${max}>`;
    default:
      return html`<textarea name="${name}" rows="${f.input === 'textarea' ? 4 : 3}"${req}${max}>${v}</textarea>`;
  }
}

function field(f: FormField, v: string): Html {
  const hint =
    f.input === 'list' ? 'one per line' : f.input === 'json' ? 'JSON' : f.input === 'datetime' ? 'UTC' : '';
  return html`<div class="field${f.personal ? ' personal' : ''}" data-field="${f.name}"><label>
    <span>${f.name}${f.required ? ' *' : ''}
      ${f.personal ? html`<span class="tag">personal data</span>` : ''}
      ${f.freeText ? html`<span class="tag screened">screened free text</span>` : ''}
      ${hint ? html`<small>(${hint})</small>` : ''}</span>
    ${input(f, v)}</label>${f.description ? html`<small>${f.description}</small>` : ''}</div>`;
}

/** A conversation form (reply, forward, answer): what it names and inherits, and where kind links go. */
export interface FormContext {
  hidden?: Html;
  intro?: Html;
  kindHref?: (k: NoticeKind) => string;
  kinds?: readonly NoticeKind[];
}

/** The publish form of one kind: markings, the body from the kind's schema, the audience. */
export function publishForm(
  kind: NoticeKind,
  csrf: string,
  values: Values = {},
  problems?: Html,
  fc: FormContext = {},
): Html {
  const v = (k: string) => one(values[k]);
  const areas = new Set([values['markings.crimeAreas'] ?? []].flat());
  const href = fc.kindHref ?? ((k: NoticeKind) => `/publish?kind=${k}`);
  return html`<nav aria-label="kinds"><ul class="kinds">${(fc.kinds ?? NOTICE_KINDS).map(
    (k) => html`<li><a href="${href(k)}"${k === kind ? html` aria-current="page"` : ''}>${k}</a></li>`,
  )}</ul></nav>
  ${fc.intro ?? ''}
  <p>Fields marked <span class="tag">personal data</span> go only to operational partners; <span class="tag screened">screened free text</span>
    goes to strategic partners too and is checked for names and identifiers before anything is sent.</p>
  ${problems ?? ''}
  <form method="post" action="/publish/preview" class="publish">
    <input type="hidden" name="_csrf" value="${csrf}">
    <input type="hidden" name="kind" value="${kind}">
    ${fc.hidden ?? ''}
    <fieldset><legend>Markings</legend>
      <label>Priority<select name="markings.priority">${options(PRIORITIES, v('markings.priority') || 'non-urgent')}</select></label>
      <label>Handling code<select name="markings.handlingCode">${options(HANDLING_CODES, v('markings.handlingCode') || 'H0')}</select></label>
      <label>Restriction (H3 only)<input name="markings.handlingRestriction" value="${v('markings.handlingRestriction')}" maxlength="500" autocomplete="off"></label>
      <label>Source reliability<select name="markings.evaluation.source">${options(SOURCE_RELIABILITY, v('markings.evaluation.source') || 'B')}</select></label>
      <label>Information accuracy<select name="markings.evaluation.information">${options(INFORMATION_ACCURACY, v('markings.evaluation.information') || '2')}</select></label>
      <label>TLP<select name="markings.tlp">${options(TLP_LABELS, v('markings.tlp'), 'none')}</select></label>
      <label>Case reference<input name="markings.caseReference" value="${v('markings.caseReference')}" maxlength="80" autocomplete="off"></label>
      <fieldset class="areas"><legend>Crime areas *</legend>${CRIME_AREAS.map(
        (a) =>
          html`<label class="check"><input type="checkbox" name="markings.crimeAreas" value="${a}"${areas.has(a) ? html` checked` : ''}>${a}</label>`,
      )}</fieldset>
    </fieldset>
    <fieldset><legend>Content (${kind})</legend>
      ${formFields(kind).map((f) => field(f, v(`body.${f.name}`)))}
    </fieldset>
    <fieldset><legend>Audience (optional: narrows what the agreements allow)</legend>
      <label>Only to (agency ids, comma separated)<input name="audience.recipients" value="${v('audience.recipients')}" autocomplete="off"></label>
      <label>Never to (e.g. country:RU, comma separated)<input name="audience.deny" value="${v('audience.deny')}" autocomplete="off"></label>
    </fieldset>
    ${v('screeningOverrides') ? html`<input type="hidden" name="screeningOverrides" value="${v('screeningOverrides')}">` : ''}
    <button type="submit">Check before sending</button>
  </form>`;
}

function issueList(title: string, list: { path: string; message: string }[], cls: string): Html {
  return html`<section class="${cls}" role="alert"><h2>${title}</h2><ul>${list.map(
    (p) => html`<li><code>${p.path || '(notice)'}</code>: ${p.message}</li>`,
  )}</ul></section>`;
}

/** The problems and screening hits above the form shown again. */
export function previewProblems(p: Preview): Html {
  return html`${p.problems.length ? issueList('Not valid yet', p.problems, 'problems') : ''}
    ${
      p.screening.hits.length
        ? issueList(
            'Screening: possible personal data in strategic free text',
            p.screening.hits,
            'screening error',
          )
        : ''
    }`;
}

/** Everything checked: screening passed, the layers, whom it goes to at which level; then send. */
export function previewPage(p: Preview, csrf: string): Html {
  return html`<section class="screening ok" role="status"><h2>Screening passed</h2>
    <p>No names or identifiers found in the free text bound for strategic partners.</p></section>
  <section aria-labelledby="layers"><h2 id="layers">Layers</h2><dl class="markings">
    <dt>Strategic (non-personal)</dt><dd>${p.layers?.strategic.join(', ') || '—'}</dd>
    <dt>Operational (personal data)</dt><dd>${p.layers?.operational.join(', ') || '—'}</dd></dl></section>
  <section aria-labelledby="plan"><h2 id="plan">Recipients under the current policy</h2>
    <table class="plan"><thead><tr><th scope="col">Agency</th><th scope="col">Level</th></tr></thead><tbody>
    ${(p.plan ?? []).map((r) => html`<tr data-agency="${r.agency}"><td>${r.agency}</td><td>${r.level}</td></tr>`)}
    </tbody></table>${p.plan?.length ? '' : html`<p class="error">Nobody would receive it.</p>`}</section>
  <form method="post" action="/publish/send">
    <input type="hidden" name="_csrf" value="${csrf}">
    <input type="hidden" name="draft" value="${p.draftId}">
    ${purposeFields()}
    <button type="submit">Send notice</button>
  </form>
  <p><a href="/publish?kind=${p.kind}">Start again</a></p>`;
}

/** What the agency's officers sent, newest first. */
export function sentPage(entries: OutboxEntry[], names: Map<string, string>): Html {
  return html`<table class="sent"><caption>Sent notices</caption><thead><tr><th scope="col">Sent</th>
    <th scope="col">Kind</th><th scope="col">Priority</th><th scope="col">Case</th><th scope="col">By</th>
    <th scope="col">Status</th><th scope="col">Recipients</th></tr></thead><tbody>
    ${entries.map(
      (e) => html`<tr data-notice="${e.noticeId}"><td>${when(e.sentAt)}</td>
        <td><a href="/sent/${e.noticeId}">${e.kind}</a></td><td>${e.priority}</td><td>${e.caseReference ?? '—'}</td>
        <td>${names.get(e.officerId) ?? e.officerId}</td><td>${e.status}${e.code ? ` (${e.code})` : ''}</td>
        <td>${e.recipients.length}</td></tr>`,
    )}</tbody></table>${entries.length ? '' : html`<p>Nothing sent yet.</p>`}`;
}

/** Receipts per recipient of one sent notice: delivered at which level, read when, by which log entry. */
export function receiptsPage(e: OutboxEntry, status: ReceiptStatus[]): Html {
  return html`<dl class="markings"><dt>Notice</dt><dd><code>${e.noticeId}</code></dd>
    <dt>Kind</dt><dd>${e.kind}</dd><dt>Sent</dt><dd>${when(e.sentAt)}</dd>
    <dt>Status</dt><dd>${e.status}${e.code ? ` (${e.code})` : ''}</dd>
    <dt>Header SHA-256</dt><dd><code>${e.headerSha256}</code></dd>
    <dt>Disclosure</dt><dd>access log entry #${e.accessSeq}</dd></dl>
  <table class="receipts"><caption>Receipts per recipient</caption><thead><tr><th scope="col">Recipient</th>
    <th scope="col">Level</th><th scope="col">State</th><th scope="col">Opened by</th></tr></thead><tbody>
    ${status.map(
      (s) => html`<tr data-recipient="${s.recipient}"><td>${s.recipient}</td><td>${s.level}</td>
        <td>${s.readAt ? html`<strong>read</strong> ${when(s.readAt)}` : 'delivered'}</td>
        <td>${s.reader ? html`entry #${s.reader.seq} of <code>${s.reader.log}</code>` : '—'}</td></tr>`,
    )}</tbody></table>
  <p>A read receipt names the recipient's access-log entry, not the person: their data protection officer can
    show who it was, with an inclusion proof.</p>`;
}

/** Replaying the feed from a time into the inbox (supervisors). */
export function replayPage(csrf: string, result?: { since: string; seen: number; stored: number }): Html {
  return html`${
    result
      ? html`<p class="ok" role="status">Replayed from ${result.since}: ${result.seen} deliveries still held by the exchange,
          ${result.stored} new in the inbox.</p>`
      : ''
  }
  <p>The exchange keeps each delivery for the feed's retention (30 days by default). Deliveries already in the inbox stay as they are.</p>
  <form method="post" action="/replay">
    <input type="hidden" name="_csrf" value="${csrf}">
    <label>From (UTC)<input type="datetime-local" name="since" required></label>
    <button type="submit">Replay</button>
  </form>`;
}
