import type { AudienceRequest } from '@liaison/envelope';
import { isNoticeKind, type NoticeInput, type NoticeKind } from '@liaison/notice';
import type { FastifyInstance } from 'fastify';
import type { Purpose } from '../roles.js';
import { bodyFromForm, type FormProblem } from '../schema-form.js';
import { authenticate, type ConsoleContext, errorReply, field, sendPage } from './context.js';
import { html } from './html.js';
import { conversationForm, conversationOfForm } from './pages-conversation.js';
import {
  previewPage,
  previewProblems,
  publishForm,
  receiptsPage,
  replayPage,
  sentPage,
} from './pages-publish.js';

type Form = Record<string, string | string[] | undefined>;
const ID = /^[0-9a-f-]{36}$/;

const text = (f: Form, k: string) => {
  const v = f[k];
  const s = (Array.isArray(v) ? v[0] : v)?.trim();
  return s ? s : undefined;
};
const list = (f: Form, k: string) =>
  (text(f, k) ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** The posted form as the notice and audience the SDK takes (validation is the notice package's). */
function noticeFromForm(
  kind: NoticeKind,
  f: Form,
): { notice: NoticeInput; audience: AudienceRequest; problems: FormProblem[] } {
  const { body, problems } = bodyFromForm(kind, f as Record<string, unknown>);
  const markings: Record<string, unknown> = {
    priority: text(f, 'markings.priority'),
    handlingCode: text(f, 'markings.handlingCode'),
    handlingRestriction: text(f, 'markings.handlingRestriction'),
    evaluation: {
      source: text(f, 'markings.evaluation.source'),
      information: text(f, 'markings.evaluation.information'),
    },
    tlp: text(f, 'markings.tlp'),
    crimeAreas: [f['markings.crimeAreas'] ?? []].flat(),
    caseReference: text(f, 'markings.caseReference'),
  };
  for (const k of Object.keys(markings)) if (markings[k] === undefined) delete markings[k];
  const overrides = list(f, 'screeningOverrides');
  const notice: NoticeInput = {
    kind,
    markings,
    body,
    ...(overrides.length ? { screeningOverrides: overrides } : {}),
  };
  const recipients = list(f, 'audience.recipients');
  const deny = list(f, 'audience.deny');
  return {
    notice,
    audience: { ...(recipients.length ? { recipients } : {}), ...(deny.length ? { deny } : {}) },
    problems,
  };
}

/** Publishing from the kind's form, the sent notices with their receipts, replay from a time. */
export function publishRoutes(app: FastifyInstance, c: ConsoleContext): void {
  app.get('/publish', (req, reply) => {
    const a = authenticate(c, req, reply, 'notice.publish');
    if (!a) return reply;
    const k = (req.query as { kind?: string } | undefined)?.kind ?? 'border-alert';
    const kind: NoticeKind = isNoticeKind(k) ? k : 'border-alert';
    return sendPage(c, reply, a, 'Publish a notice', publishForm(kind, a.session.csrf));
  });

  app.post('/publish/preview', async (req, reply) => {
    const a = authenticate(c, req, reply, 'notice.publish');
    if (!a) return reply;
    const f = (req.body ?? {}) as Form;
    const k = text(f, 'kind') ?? '';
    if (!isNoticeKind(k)) return errorReply(c, req, reply, new Error('unknown kind'));
    try {
      const { notice, audience, problems } = noticeFromForm(k, f);
      const conv = conversationOfForm(f);
      const fc = conv ? conversationForm(c, a.officer, conv, k) : {};
      if (problems.length) {
        const shown = html`<section class="problems" role="alert"><h2>Not valid yet</h2><ul>${problems.map(
          (p) => html`<li><code>${p.path}</code>: ${p.message}</li>`,
        )}</ul></section>`;
        return sendPage(c, reply, a, 'Publish a notice', publishForm(k, a.session.csrf, f, shown, fc), 422);
      }
      const p = await c.station.previewNotice(a.officer, notice, audience, conv);
      if (!p.draftId) {
        // Offer to vouch for a screened field (recorded in the notice as an override).
        const withOverride = { ...f };
        const hits = p.screening.hits.map((h) => h.path.split('.')[1]).filter(Boolean);
        const overrideForm = hits.length
          ? html`<form method="post" action="/publish/preview" class="override">
              ${Object.entries(withOverride)
                .filter(([key]) => key !== 'screeningOverrides')
                .flatMap(([key, v]) =>
                  [v ?? []].flat().map((x) => html`<input type="hidden" name="${key}" value="${x}">`),
                )}
              <input type="hidden" name="screeningOverrides" value="${hits.join(',')}">
              <button type="submit">I have checked ${hits.join(', ')}: send it to strategic partners anyway</button>
            </form>`
          : '';
        return sendPage(
          c,
          reply,
          a,
          'Publish a notice',
          publishForm(k, a.session.csrf, f, html`${previewProblems(p)}${overrideForm}`, fc),
          422,
        );
      }
      return sendPage(c, reply, a, `Check and send: ${k}`, previewPage(p, a.session.csrf));
    } catch (err) {
      return errorReply(c, req, reply, err);
    }
  });

  app.post('/publish/send', async (req, reply) => {
    const a = authenticate(c, req, reply, 'notice.publish');
    if (!a) return reply;
    try {
      const note = field(req.body, 'note');
      const { noticeId, receipt, entry } = await c.station.sendDraft(
        a.officer,
        field(req.body, 'draft') ?? '',
        {
          purpose: field(req.body, 'purpose') as Purpose,
          ...(note ? { note } : {}),
        },
      );
      const fate = receipt
        ? html`accepted by the gate for ${receipt.recipients.length} recipients`
        : html`queued in the site's outbox: it goes to the exchange when the link to it is back`;
      const body = html`<p class="ok" role="status">Sent: notice <code>${noticeId}</code>, ${fate}.
        The disclosure is access log entry #${entry.entry.seq}.</p>
        <p><a href="/sent/${noticeId}">Receipts per recipient</a></p>`;
      return sendPage(c, reply, a, 'Notice sent', body);
    } catch (err) {
      return errorReply(c, req, reply, err);
    }
  });

  app.get('/sent', (req, reply) => {
    const a = authenticate(c, req, reply, 'outbox.read');
    if (!a) return reply;
    const names = new Map(c.station.officers.list().map((o) => [o.id, o.displayName]));
    return sendPage(c, reply, a, 'Sent', sentPage(c.station.sent(a.officer), names));
  });

  app.get<{ Params: { id: string } }>('/sent/:id', async (req, reply) => {
    const a = authenticate(c, req, reply, 'outbox.read');
    if (!a) return reply;
    if (!ID.test(req.params.id))
      return reply.code(404).type('text/plain; charset=utf-8').send('no such notice');
    try {
      const { sent, status } = await c.station.receiptsOf(a.officer, req.params.id);
      return sendPage(c, reply, a, `Receipts: ${sent.kind}`, receiptsPage(sent, status));
    } catch (err) {
      return errorReply(c, req, reply, err);
    }
  });

  app.get('/replay', (req, reply) => {
    const a = authenticate(c, req, reply, 'feed.replay');
    if (!a) return reply;
    return sendPage(c, reply, a, 'Replay the feed', replayPage(a.session.csrf));
  });

  app.post('/replay', async (req, reply) => {
    const a = authenticate(c, req, reply, 'feed.replay');
    if (!a) return reply;
    try {
      const raw = field(req.body, 'since') ?? '';
      const since = Date.parse(/[zZ]$/.test(raw) ? raw : `${raw}Z`);
      const result = await c.station.replay(a.officer, since);
      const shown = { since: new Date(since).toISOString(), ...result };
      return sendPage(c, reply, a, 'Replay the feed', replayPage(a.session.csrf, shown));
    } catch (err) {
      return errorReply(c, req, reply, err);
    }
  });
}
