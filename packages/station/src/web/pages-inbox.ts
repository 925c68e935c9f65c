import { CRIME_AREAS, NOTICE_KINDS } from '@liaison/notice';
import type { InboxEntry } from '../inbox.js';
import { type Html, html } from './html.js';
import { purposeFields } from './pages-notice.js';

export type FilterForm = Partial<
  Record<
    'kind' | 'caseReference' | 'sender' | 'crimeArea' | 'priority' | 'from' | 'to' | 'unread' | 'purpose',
    string
  >
>;

const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16);

function select(name: string, label: string, options: readonly string[], current: string | undefined): Html {
  return html`<label>${label}<select name="${name}"><option value="">any</option>
    ${options.map((o) => html`<option value="${o}"${o === current ? html` selected` : ''}>${o}</option>`)}</select></label>`;
}

/** A request's deadline (Directive 2023/977 Art. 5): overdue in red, answered once this station answered. */
function due(l: InboxEntry): Html | string {
  if (!l.dueAt) return '—';
  if (l.answeredAt) return `answered ${when(l.answeredAt)}`;
  return l.dueAt < Date.now()
    ? html`<strong class="urgent">OVERDUE since ${when(l.dueAt)}</strong>`
    : html`<strong>due ${when(l.dueAt)}</strong>`;
}

export function inboxPage(
  lines: InboxEntry[],
  f: FilterForm,
  counts: { unread: number; urgentUnread: number },
): Html {
  return html`<p class="counts">${counts.unread} unread, of which <strong>${counts.urgentUnread} urgent</strong>.</p>
  <form method="get" action="/inbox" class="filters" role="search" aria-label="filter the inbox">
    ${select('kind', 'Kind', NOTICE_KINDS, f.kind)}
    <label>Case reference<input name="caseReference" value="${f.caseReference ?? ''}" maxlength="128"></label>
    <label>Sender<input name="sender" value="${f.sender ?? ''}" maxlength="128"></label>
    ${select('crimeArea', 'Crime area', CRIME_AREAS, f.crimeArea)}
    ${select('priority', 'Priority', ['urgent', 'non-urgent'], f.priority)}
    <label>From<input type="date" name="from" value="${f.from ?? ''}"></label>
    <label>To<input type="date" name="to" value="${f.to ?? ''}"></label>
    ${select('unread', 'Read state', ['unread', 'read'], f.unread)}
    ${purposeFields({ note: false, current: f.purpose ?? 'routine-review' })}
    <button type="submit">Search</button>
  </form>
  <table class="inbox"><caption>Deliveries: requests due first, then urgent</caption>
    <thead><tr><th scope="col">Priority</th><th scope="col">Received</th><th scope="col">Kind</th>
      <th scope="col">Sender</th><th scope="col">Case</th><th scope="col">Crime areas</th><th scope="col">Level</th><th scope="col">State</th><th scope="col">Answer due</th></tr></thead>
    <tbody>${lines.map(
      (l) => html`<tr class="${l.priority}${l.firstOpenedAt ? '' : ' unread'}" data-notice="${l.noticeId}">
        <td>${l.priority === 'urgent' ? html`<strong class="urgent">URGENT</strong>` : 'non-urgent'}</td>
        <td>${when(l.receivedAt)}</td><td><a href="/notices/${l.noticeId}">${l.kind}</a></td><td>${l.sender}</td>
        <td>${l.caseReference ?? '—'}</td><td>${l.crimeAreas.join(', ')}</td><td>${l.level}</td>
        <td>${l.firstOpenedAt ? 'read' : 'unread'}</td><td>${due(l)}</td></tr>`,
    )}</tbody></table>
  ${lines.length === 0 ? html`<p>No notices match.</p>` : ''}`;
}
