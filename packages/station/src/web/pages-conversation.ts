import { NOTICE_KINDS, type NoticeKind } from '@liaison/notice';
import { RELATIONS, type Relation } from '../conversations.js';
import type { Officer } from '../officers.js';
import type { StoredNotice } from '../stored-notice.js';
import type { ConsoleContext } from './context.js';
import { type Html, html } from './html.js';
import { purposeFields } from './pages-notice.js';
import type { FormContext } from './pages-publish.js';

type Form = Record<string, string | string[] | undefined>;
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export interface ConversationForm {
  relation: Relation;
  originalId?: string;
  permissionId?: string;
}

/** The kinds a reply or forward may have (answers and permissions have their own forms). */
export const REPLY_KINDS: readonly NoticeKind[] = NOTICE_KINDS.filter(
  (k) => k !== 'answer' && k !== 'onward-permission' && k !== 'information-request',
);

/** The conversation a posted form belongs to; an information request from the plain form is a request. */
export function conversationOfForm(f: Form): ConversationForm | undefined {
  const relation = one(f._relation);
  const original = one(f._original);
  const permission = one(f._permission);
  if (!relation) return one(f.kind) === 'information-request' ? { relation: 'request' } : undefined;
  if (!(RELATIONS as readonly string[]).includes(relation)) return undefined;
  return {
    relation: relation as Relation,
    ...(ID.test(original) ? { originalId: original } : {}),
    ...(ID.test(permission) ? { permissionId: permission } : {}),
  };
}

const markingLine = (m: StoredNotice['markings']) =>
  [
    m.handlingCode + (m.handlingCode === 'H3' && m.handlingRestriction ? ` (${m.handlingRestriction})` : ''),
    m.tlp ?? 'no TLP',
    m.classification ?? 'unclassified',
    m.sources?.length ? `sources ${m.sources.join(', ')}` : '',
    m.caseReference ? `case ${m.caseReference}` : '',
  ]
    .filter(Boolean)
    .join(' · ');

/** Hidden fields and the box saying what the notice answers or forwards and what it inherits. */
export function conversationForm(
  c: ConsoleContext,
  officer: Officer,
  conv: ConversationForm,
  kind: NoticeKind,
): FormContext {
  const hidden = html`<input type="hidden" name="_relation" value="${conv.relation}">
    ${conv.originalId ? html`<input type="hidden" name="_original" value="${conv.originalId}">` : ''}
    ${conv.permissionId ? html`<input type="hidden" name="_permission" value="${conv.permissionId}">` : ''}`;
  if (!conv.originalId || conv.relation === 'request') return { hidden };
  const o = c.station.inbox.entry(conv.originalId);
  const { markings } = c.station.conversationStart(officer, conv.originalId, kind);
  const to = conv.relation === 'forward' ? 'the recipients you name' : `${o.sender} (its provider)`;
  const intro = html`<section class="inherited" role="note" aria-labelledby="inherited-h">
    <h2 id="inherited-h">${conv.relation === 'forward' ? 'Forwarding' : conv.relation === 'answer' ? 'Answering' : 'Replying to'}
      ${o.kind} <code>${o.noticeId}</code> from ${o.sender}</h2>
    <p>Inherited, never lowered (the gate refuses a weaker marking): <strong class="handling">${markingLine(markings)}</strong>.
      It goes to ${to}; anyone else is onward dissemination under the original's rules${
        markings.handlingCode === 'H2' || markings.tlp === 'TLP:RED' || markings.tlp === 'TLP:AMBER+STRICT'
          ? html` — <strong>this notice needs its provider's permission for anyone it was not given to</strong>`
          : ''
      }.</p>
    ${o.dueAt && !o.answeredAt ? html`<p><strong${o.dueAt < Date.now() ? html` class="urgent"` : ''}>Answer due ${due(o.dueAt)}</strong> (Directive 2023/977 Art. 5, signed by the requester).</p>` : ''}
    </section>`;
  return {
    hidden,
    intro,
    kinds: conv.relation === 'answer' ? ['answer'] : REPLY_KINDS,
    kindHref: (k) => `/notices/${conv.originalId}/${conv.relation}?kind=${k}`,
  };
}

/** The form's starting values: the inherited markings, as the publish form names its fields. */
export function inheritedValues(m: Record<string, unknown>): Form {
  const ev = (m.evaluation ?? {}) as { source?: string; information?: string };
  const v: Form = {
    'markings.priority': String(m.priority ?? 'non-urgent'),
    'markings.handlingCode': String(m.handlingCode ?? 'H0'),
    'markings.evaluation.source': ev.source ?? 'B',
    'markings.evaluation.information': ev.information ?? '2',
    'markings.crimeAreas': (m.crimeAreas as string[] | undefined) ?? [],
  };
  if (m.handlingRestriction) v['markings.handlingRestriction'] = String(m.handlingRestriction);
  if (m.tlp) v['markings.tlp'] = String(m.tlp);
  if (m.caseReference) v['markings.caseReference'] = String(m.caseReference);
  return v;
}

const due = (ms: number) => `${new Date(ms).toISOString().replace('T', ' ').slice(0, 16)} UTC`;

/** Under an opened notice: reply, forward, answer, ask for onward permission, or decide on a request for it. */
export function conversationActions(n: StoredNotice, csrf: string): Html {
  const m = n.markings;
  const needsPermission = m.handlingCode === 'H2' || m.tlp === 'TLP:RED' || m.tlp === 'TLP:AMBER+STRICT';
  const p = n.conversation?.permission;
  const links = [
    n.kind === 'information-request'
      ? html`<li><a href="/notices/${n.noticeId}/answer?kind=answer">Answer this request</a>${
          n.conversation?.dueAtMs ? html` (due ${due(n.conversation.dueAtMs)})` : ''
        }</li>`
      : '',
    n.kind !== 'onward-permission'
      ? html`<li><a href="/notices/${n.noticeId}/reply?kind=${REPLY_KINDS.includes(n.kind) ? n.kind : 'threat-notice'}">Reply</a></li>
        <li><a href="/notices/${n.noticeId}/forward?kind=${REPLY_KINDS.includes(n.kind) ? n.kind : 'threat-notice'}">Forward</a></li>`
      : '',
  ];
  return html`<section aria-labelledby="conv-h"><h2 id="conv-h">Reply, forward, answer</h2>
    <ul class="actions">${links}</ul>
    ${
      needsPermission && n.kind !== 'onward-permission'
        ? html`<form method="post" action="/notices/${n.noticeId}/permission" class="permission">
        <input type="hidden" name="_csrf" value="${csrf}">
        <p>${m.handlingCode === 'H2' ? 'H2' : m.tlp}: onward dissemination needs ${n.sender}'s permission.</p>
        <label>Ask ${n.sender} for permission to pass it to (agency ids, comma separated)<input name="recipients" required maxlength="400" autocomplete="off"></label>
        ${purposeFields()}
        <button type="submit">Ask for permission</button></form>`
        : ''
    }
    ${
      n.kind === 'onward-permission' && p?.decision === 'requested'
        ? html`<form method="post" action="/notices/${n.noticeId}/permission-decision" class="permission">
        <input type="hidden" name="_csrf" value="${csrf}">
        <p>${p.grantee} asks to pass your notice <code>${p.noticeId}</code> on to ${p.recipients.join(', ')}.</p>
        ${purposeFields()}
        <button type="submit" name="decision" value="granted">Grant</button>
        <button type="submit" name="decision" value="refused">Refuse</button></form>`
        : ''
    }
    ${n.kind === 'onward-permission' && p?.decision === 'granted' ? html`<p class="ok">${n.sender} granted onward dissemination of <code>${p.noticeId}</code> to ${p.recipients.join(', ')}: forward it from that notice's page, citing this grant.</p>` : ''}
  </section>`;
}
