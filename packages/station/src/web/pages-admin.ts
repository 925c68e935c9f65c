import type { SignedEntry } from '../access-log.js';
import type { Officer } from '../officers.js';
import { ROLES } from '../roles.js';
import { type Html, html } from './html.js';

export function loginPage(o: { token: string; error?: string | undefined }): Html {
  return html`${o.error ? html`<p class="error" role="alert">${o.error}</p>` : ''}
  <form method="post" action="/login" class="login">
    <input type="hidden" name="_login" value="${o.token}">
    <label>Username<input name="username" autocomplete="username" required maxlength="40"></label>
    <label>Password<input type="password" name="password" autocomplete="current-password" required maxlength="256"></label>
    <button type="submit">Log in</button>
  </form>`;
}

export function officersPage(officers: Officer[], csrf: string, notice?: string): Html {
  return html`${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
  <table><caption>Accounts</caption><thead><tr><th scope="col">Username</th><th scope="col">Name</th>
    <th scope="col">Role</th><th scope="col">State</th><th scope="col"></th></tr></thead><tbody>
    ${officers.map(
      (o) => html`<tr><td>${o.username}</td><td>${o.displayName}</td><td>${o.role}</td>
        <td>${o.lockedUntil && o.lockedUntil > Date.now() ? 'locked' : 'active'}</td>
        <td><form method="post" action="/officers/${o.id}/unlock"><input type="hidden" name="_csrf" value="${csrf}">
          <button type="submit">Unlock</button></form></td></tr>`,
    )}</tbody></table>
  <h2>New account</h2>
  <form method="post" action="/officers">
    <input type="hidden" name="_csrf" value="${csrf}">
    <label>Username<input name="username" required maxlength="40" autocomplete="off"></label>
    <label>Name<input name="displayName" required maxlength="100" autocomplete="off"></label>
    <label>Role<select name="role">${ROLES.map((r) => html`<option value="${r}">${r}</option>`)}</select></label>
    <label>Initial password<input type="password" name="password" required minlength="12" autocomplete="new-password"></label>
    <button type="submit">Create</button>
  </form>`;
}

export function accessLogPage(
  entries: SignedEntry[],
  o: { checkpoint: string; verified: { size: number; problems: string[] }; officers: Map<string, Officer> },
): Html {
  const ok = o.verified.problems.length === 0;
  return html`<section aria-labelledby="integrity"><h2 id="integrity">Integrity</h2>
    <p class="${ok ? 'ok' : 'error'}" role="status">${
      ok
        ? `All ${o.verified.size} entries verified: signatures, positions and the signed checkpoint.`
        : `Problems: ${o.verified.problems.join('; ')}`
    }</p>
    <pre class="checkpoint">${o.checkpoint}</pre></section>
  <form method="get" action="/access-log" class="filters">
    <label>Action<select name="action"><option value="">any</option>
      ${['consult', 'disclose', 'search', 'review', 'mask', 'erase', 'rectify', 'redisclose'].map((a) => html`<option value="${a}">${a}</option>`)}</select></label>
    <label>Notice id<input name="notice" maxlength="64"></label>
    <label>Officer<select name="officer"><option value="">anyone</option>
      ${[...o.officers.values()].map((x) => html`<option value="${x.id}">${x.displayName} (${x.username})</option>`)}</select></label>
    <button type="submit">Filter</button>
  </form>
  <table class="access-log"><caption>Consultations, disclosures and searches (newest first)</caption>
    <thead><tr><th scope="col">#</th><th scope="col">Time (UTC)</th><th scope="col">Officer</th><th scope="col">Action</th>
      <th scope="col">Purpose</th><th scope="col">What</th><th scope="col">Proof</th></tr></thead>
    <tbody>${entries.map(({ entry: e }) => {
      const who = o.officers.get(e.officer.id);
      return html`<tr data-seq="${e.seq}"><td>${e.seq}</td><td>${e.at.replace('T', ' ').slice(0, 19)}</td>
        <td>${who?.displayName ?? e.officer.username} (${e.officer.username}, ${e.officer.role})</td>
        <td>${e.action}</td><td>${e.purpose}${e.note ? html`<br><small>${e.note}</small>` : ''}</td>
        <td>${
          e.notice
            ? html`${e.notice.kind} from ${e.notice.sender} <code>${e.notice.id}</code>`
            : html`${Object.entries(e.query ?? {})
                .map(([k, v]) => `${k}=${v}`)
                .join(', ')} → ${e.results ?? 0} lines`
        }${e.recipients ? html`<br>to: ${e.recipients.join(', ')}` : ''}</td>
        <td><a href="/access-log/${e.seq}/proof">inclusion proof</a></td></tr>`;
    })}</tbody></table>`;
}
