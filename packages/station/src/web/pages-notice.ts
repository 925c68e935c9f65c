import { KINDS, markOf } from '@liaison/notice';
import type { InboxEntry } from '../inbox.js';
import { PURPOSES } from '../roles.js';
import type { StoredNotice } from '../stored-notice.js';
import { type Html, html } from './html.js';

const HANDLING: Record<string, string> = {
  H0: 'Use only for preventing and combating crime, within the applicable law.',
  H1: "Not to be disclosed in judicial proceedings without the provider's permission.",
  H2: "Not to be disseminated onward without the provider's permission.",
  H3: 'Other restrictions (below).',
};
const SOURCE: Record<string, string> = {
  A: 'no doubt / reliable in all instances',
  B: 'reliable in most instances',
  C: 'unreliable in most instances',
  X: 'cannot be assessed',
};
const INFORMATION: Record<string, string> = {
  '1': 'not in doubt',
  '2': 'known personally to the source, not to the official passing it on',
  '3': 'not known personally to the source, corroborated',
  '4': 'not known personally to the source, cannot be corroborated',
};

const date = (v: unknown) =>
  v ? `${new Date(String(v)).toISOString().replace('T', ' ').slice(0, 16)} UTC` : '—';

/** The purpose select; the free-text note only on POST forms (never in a URL). */
export function purposeFields(o: { note?: boolean; current?: string | undefined } = {}): Html {
  return html`<label>Purpose
      <select name="purpose" required>
        ${PURPOSES.map((p) => html`<option value="${p}"${p === o.current ? html` selected` : ''}>${p}</option>`)}
      </select></label>
    ${
      o.note === false
        ? ''
        : html`<label>Note (optional, kept in the access log)
      <input name="note" maxlength="200" autocomplete="off"></label>`
    }`;
}

/** Opening a notice is a consultation: the officer states why, then the content is shown. */
export function openForm(line: InboxEntry, csrf: string): Html {
  return html`<p>Opening this notice records a consultation in the access log with your name, the time and
    the purpose you state.</p>
    <dl class="markings"><dt>Sender</dt><dd>${line.sender}</dd><dt>Kind</dt><dd>${line.kind}</dd>
    <dt>Priority</dt><dd>${line.priority}</dd><dt>Case</dt><dd>${line.caseReference ?? '—'}</dd></dl>
    <form method="post" action="/notices/${line.noticeId}/open">
      <input type="hidden" name="_csrf" value="${csrf}">
      ${purposeFields()}
      <button type="submit">Open notice</button>
    </form>`;
}

function value(v: unknown): Html {
  if (v === null || v === undefined) return html`—`;
  if (Array.isArray(v)) return html`<ul>${v.map((x) => html`<li>${value(x)}</li>`)}</ul>`;
  if (typeof v === 'object')
    return html`<dl>${Object.entries(v as Record<string, unknown>).map(([k, x]) => html`<dt>${k}</dt><dd>${value(x)}</dd>`)}</dl>`;
  return html`${String(v)}`;
}

/** Every marking that binds the reader, then the content with personal fields marked. */
export function noticeView(
  n: StoredNotice,
  o: { csrf: string; canExport: boolean; accessSeq: number },
): Html {
  const m = n.markings;
  const shape = KINDS[n.kind].body.shape as Record<string, Parameters<typeof markOf>[0]>;
  const fields = Object.entries(n.body).map(([k, v]) => {
    const personal = shape[k] ? markOf(shape[k])?.personal === true : false;
    return html`<tr${personal ? html` class="personal"` : ''}><th scope="row">${k}${
      personal ? html` <span class="tag">personal data</span>` : ''
    }</th><td>${value(v)}</td></tr>`;
  });
  return html`<section aria-labelledby="binding"><h2 id="binding">Markings that bind you</h2>
    <dl class="markings">
      <dt>Handling code</dt><dd class="handling"><strong>${m.handlingCode}</strong> — ${HANDLING[m.handlingCode]}</dd>
      ${m.handlingRestriction ? html`<dt>Restriction (H3)</dt><dd class="restriction">${m.handlingRestriction}</dd>` : ''}
      <dt>TLP</dt><dd>${m.tlp ?? 'none'}</dd>
      <dt>Evaluation</dt><dd>${m.evaluation.source}${m.evaluation.information} — source ${SOURCE[m.evaluation.source]};
        information ${INFORMATION[m.evaluation.information]}</dd>
      <dt>Priority</dt><dd>${m.priority}</dd>
      <dt>Sharing level</dt><dd>${n.level} (layers: ${n.layers.join(', ')})</dd>
      <dt>Review date</dt><dd>${date(m.reviewAt)}</dd>
      <dt>Expires</dt><dd>${date(m.expiresAt)}</dd>
    </dl></section>
    <section aria-labelledby="about"><h2 id="about">About this notice</h2>
    <dl class="markings">
      <dt>Sender</dt><dd>${n.sender}</dd><dt>Kind</dt><dd>${n.kind} (schema ${n.schemaVersion})</dd>
      <dt>Created</dt><dd>${date(n.createdAt)}</dd>
      <dt>Case</dt><dd>${m.caseReference ?? '—'}</dd>
      <dt>In reply to</dt><dd>${m.inReplyTo ?? '—'}</dd>
      <dt>Crime areas</dt><dd>${m.crimeAreas.join(', ')}</dd>
      <dt>Provenance</dt><dd>signed by ${n.sender}; countersigned by ${n.provenance.gateId}
        (key ${n.provenance.gateKeyId.slice(0, 12)}…) at ${date(n.provenance.grantedAt)} under policy revision
        ${n.provenance.policyRevision}; header SHA-256 <code>${n.provenance.headerSha256}</code></dd>
      ${n.provenance.screeningOverrides.length ? html`<dt>Screening overridden</dt><dd>${n.provenance.screeningOverrides.join(', ')}</dd>` : ''}
      <dt>This consultation</dt><dd>access log entry #${o.accessSeq}</dd>
    </dl></section>
    <section aria-labelledby="content"><h2 id="content">Content</h2>
    <table class="content"><tbody>${fields}</tbody></table></section>
    ${
      o.canExport
        ? html`<section aria-labelledby="export"><h2 id="export">Disclose (export)</h2>
      <form method="post" action="/notices/${n.noticeId}/export">
        <input type="hidden" name="_csrf" value="${o.csrf}">
        ${purposeFields()}
        <label>Recipients (comma separated)<input name="recipients" required maxlength="400" autocomplete="off"></label>
        <button type="submit">Export as JSON</button>
      </form></section>`
        : ''
    }`;
}
