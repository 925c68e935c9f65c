import { auditStats } from '@liaison/audit-log';
import type { FeedItem, LiaisonClient } from '@liaison/client';
import { exampleNotices } from '@liaison/fixtures';
import { Sandbox } from '@liaison/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bkaRequest } from './conversation-fixtures.js';
import { readUntil } from './helpers.js';

// Replies and forwards (issue 17): provenance, inherited markings, onward dissemination.

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await Sandbox.start();
});
afterAll(async () => {
  await sandbox?.dispose();
});

/** A Finnish H2 border alert for Austria and Germany only. */
function finnishAlert() {
  const alert = exampleNotices().borderAlert;
  return {
    ...alert,
    markings: {
      ...(alert.markings as Record<string, unknown>),
      caseReference: 'FI-RAJA-2026-0088',
      tlp: 'TLP:AMBER',
    },
  };
}

const rejection = async (p: Promise<unknown>) => {
  const err = (await p.then(
    () => undefined,
    (e: unknown) => e,
  )) as { code?: string; issues?: { code: string }[] } | undefined;
  expect(err?.code).toBe('REJECTED');
  return err!.issues?.[0]?.code;
};
const refusedFor = (r: { refused?: { recipient: string; reasons: string[] }[] }, who: string) =>
  r.refused?.find((x) => x.recipient === who)?.reasons ?? [];
const levels = (r: { recipients: { recipient: string; level: string }[] }) =>
  Object.fromEntries(r.recipients.map((x) => [x.recipient, x.level]));

let fi: LiaisonClient;
let at: LiaisonClient;
let original: FeedItem;

describe('replies and forwards', () => {
  beforeAll(async () => {
    fi = await sandbox.client('fi-raja');
    at = await sandbox.client('at-bmi');
    const sent = await fi.publish(finnishAlert(), { recipients: ['at-bmi', 'de-bka'] });
    original = await readUntil(at, (i) => i.notice.noticeId === sent.noticeId);
    expect(original.notice.markings.handlingCode).toBe('H2');
  });

  it('refuses the reported attack: the H2 alert re-sent relabelled H0 to a third country and a strategic partner', async () => {
    const relabelled = { ...finnishAlert(), markings: { ...finnishAlert().markings, handlingCode: 'H0' } };
    const provenance = {
      relation: 'reply' as const,
      noticeId: original.notice.noticeId,
      headerSha256: original.notice.headerSha256,
    };
    const code = await rejection(
      at.publish(
        { ...relabelled, markings: { ...relabelled.markings, inReplyTo: original.notice.noticeId } },
        { recipients: ['us-cbp', 'ru-mvd'] },
        { strategicOptIn: true, provenance },
      ),
    );
    expect(code).toBe('HANDLING_CODE_NOT_INHERITED');
    // TLP dropped: refused too.
    const { tlp: _tlp, ...noTlp } = finnishAlert().markings;
    expect(
      await rejection(
        at.publish({ ...finnishAlert(), markings: noTlp }, { recipients: ['us-cbp'] }, { provenance }),
      ),
    ).toBe('TLP_NOT_INHERITED');
    // Claiming to reply without naming the notice (id and header digest): refused.
    expect(
      await rejection(
        at.publish(
          { ...relabelled, markings: { ...relabelled.markings, inReplyTo: original.notice.noticeId } },
          { recipients: ['us-cbp', 'ru-mvd'] },
        ),
      ),
    ).toBe('PROVENANCE_MISSING');
    // With its markings kept (the SDK's reply), the third country and the strategic partner
    // still get nothing: the provider did not permit onward dissemination.
    const kept = await at.conversation.reply(
      original.notice,
      finnishAlert(),
      { recipients: ['us-cbp', 'ru-mvd'] },
      { strategicOptIn: true },
    );
    expect(kept.recipients).toEqual([]);
    expect(refusedFor(kept, 'us-cbp')).toContain('ONWARD_NEEDS_PERMISSION');
    expect(refusedFor(kept, 'ru-mvd')).toContain('ONWARD_NEEDS_PERMISSION');
  });

  it('refuses a reply from an agency that was not given the notice', async () => {
    const piu = await sandbox.client('nl-piu');
    const provenance = {
      relation: 'reply' as const,
      noticeId: original.notice.noticeId,
      headerSha256: original.notice.headerSha256,
    };
    expect(await rejection(piu.publish(finnishAlert(), { recipients: ['fi-raja'] }, { provenance }))).toBe(
      'NOT_A_RECIPIENT_OF_ORIGIN',
    );
    // A digest that is not the notice's: unknown.
    const wrong = { ...provenance, headerSha256: new Uint8Array(32) };
    expect(
      await rejection(at.publish(finnishAlert(), { recipients: ['fi-raja'] }, { provenance: wrong })),
    ).toBe('PROVENANCE_UNKNOWN');
  });

  it('answers the provider, inheriting the markings', async () => {
    const { tlp: _t, ...weaker } = finnishAlert().markings;
    const r = await at.conversation.reply(original.notice, {
      kind: 'threat-notice',
      markings: { ...weaker, handlingCode: 'H0' },
      body: exampleNotices().threatNotice.body,
    });
    expect(levels(r)).toEqual({ 'fi-raja': 'operational' });
    expect(r.recipients[0]?.reasons).toContain('ORIGIN_PROVIDER');
    const got = await readUntil(fi, (i) => i.notice.noticeId === r.noticeId);
    expect(got.notice.markings.handlingCode).toBe('H2');
    expect(got.notice.markings.tlp).toBe('TLP:AMBER');
    expect(got.notice.conversation.provenance).toMatchObject({
      relation: 'reply',
      noticeId: original.notice.noticeId,
    });
  });

  it('forwards an H2 notice only with the provider’s recorded permission, to the recipients it names', async () => {
    // Without permission: nothing for the US.
    const without = await at.conversation.forward(original.notice, finnishAlert(), {
      recipients: ['us-cbp'],
    });
    expect(without.recipients).toEqual([]);
    expect(refusedFor(without, 'us-cbp')).toContain('ONWARD_NEEDS_PERMISSION');

    // Austria asks Finland; Finland grants it for the US only.
    const asked = await at.conversation.requestPermission(
      original.notice,
      ['us-cbp'],
      { ...finnishAlert().markings, inReplyTo: undefined },
      'joint investigation of the minibus route',
    );
    const request = await readUntil(fi, (i) => i.notice.noticeId === asked.noticeId);
    expect(request.notice.conversation.permission).toMatchObject({
      decision: 'requested',
      grantee: 'at-bmi',
    });

    // Citing its own request as a grant: refused.
    expect(
      await rejection(
        at.conversation.forward(
          original.notice,
          finnishAlert(),
          { recipients: ['us-cbp'] },
          { permission: request.notice },
        ),
      ),
    ).toBe('PERMISSION_INVALID');

    const decided = await fi.conversation.decidePermission(request.notice, 'granted');
    const grant = await readUntil(at, (i) => i.notice.noticeId === decided.noticeId);
    expect(grant.notice.conversation.permission).toMatchObject({
      decision: 'granted',
      recipients: ['us-cbp'],
    });

    const forwarded = await at.conversation.forward(
      original.notice,
      finnishAlert(),
      { recipients: ['us-cbp', 'ca-cbsa'] },
      { permission: grant.notice },
    );
    expect(levels(forwarded)).toEqual({ 'us-cbp': 'operational' });
    expect(forwarded.recipients[0]?.reasons).toContain('ONWARD_PERMITTED');
    expect(refusedFor(forwarded, 'ca-cbsa')).toContain('ONWARD_NEEDS_PERMISSION');
    const us = await readUntil(
      await sandbox.client('us-cbp'),
      (i) => i.notice.noticeId === forwarded.noticeId,
    );
    expect(us.notice.markings.handlingCode).toBe('H2');
    expect((us.notice.body.person as { surname: string }).surname).toBe('Petrova');

    // Only the provider decides: Austria cannot grant itself a permission for Finland's notice.
    expect(await rejection(at.conversation.decidePermission(request.notice, 'granted'))).toBe(
      'PERMISSION_NOT_PROVIDER',
    );
  });
});

const answerMarkings = {
  priority: 'urgent',
  handlingCode: 'H1',
  evaluation: { source: 'A', information: '1' },
  crimeAreas: ['drug-trafficking'],
};

describe('requests and answers (Directive 2023/977)', () => {
  it('signs the deadline into the request, copies Europol, and delivers the answer to the requester', async () => {
    const bka = await sandbox.client('de-bka');
    const sent = await bka.conversation.request(bkaRequest(), ['at-bmi']);
    expect(levels(sent)).toEqual({ 'at-bmi': 'operational', 'eu-europol': 'operational' });
    const req = await readUntil(at, (i) => i.notice.noticeId === sent.noticeId);
    expect(req.notice.conversation.dueAtMs).toBe(req.notice.createdAt.getTime() + 8 * 3600_000);
    expect(req.notice.conversation.europolCopy).toEqual({ copied: true });
    const europol = await readUntil(
      await sandbox.client('eu-europol'),
      (i) => i.notice.noticeId === sent.noticeId,
    );
    expect(europol.notice.kind).toBe('information-request');

    const answered = await at.conversation.answer(req.notice, {
      markings: answerMarkings,
      body: {
        outcome: 'information',
        europolCopy: { copied: true },
        summary: 'The vehicle is registered to a private person since 2024.',
        information: { persons: [{ surname: 'Huber', givenNames: 'Markus', dateOfBirth: '1981-03-09' }] },
      },
    });
    expect(levels(answered)).toEqual({ 'de-bka': 'operational', 'eu-europol': 'operational' });
    const answer = await readUntil(bka, (i) => i.notice.noticeId === answered.noticeId);
    expect(answer.notice.conversation.answer).toEqual({ outcome: 'information' });
    expect(answer.notice.markings.caseReference).toBe('DE-BKA-2026-7731');
  });

  it('refuses with a Directive ground, and asks for clarification', async () => {
    const bka = await sandbox.client('de-bka');
    const sent = await bka.conversation.request(bkaRequest({ urgent: false, copied: false }), ['at-bmi']);
    expect(levels(sent)).toEqual({ 'at-bmi': 'operational' });
    const req = await readUntil(at, (i) => i.notice.noticeId === sent.noticeId);
    expect(req.notice.conversation.dueAtMs).toBe(req.notice.createdAt.getTime() + 7 * 24 * 3600_000);
    const noCopy = { copied: false, reasonNotCopied: 'would-harm-investigation' };
    const clarify = await at.conversation.answer(req.notice, {
      markings: answerMarkings,
      body: { outcome: 'clarification', europolCopy: noCopy, reasons: 'Which registration period is meant?' },
    });
    expect(levels(clarify)).toEqual({ 'de-bka': 'operational' });
    const refused = await at.conversation.answer(req.notice, {
      markings: answerMarkings,
      body: {
        outcome: 'refusal',
        refusalGround: 'ongoing-investigation',
        europolCopy: noCopy,
        reasons: 'Disclosure would jeopardise an ongoing national investigation.',
      },
    });
    const got = await readUntil(bka, (i) => i.notice.noticeId === refused.noticeId);
    expect(got.notice.conversation.answer).toEqual({
      outcome: 'refusal',
      refusalGround: 'ongoing-investigation',
    });
    // A refusal without its ground does not even validate.
    await expect(
      at.conversation.answer(req.notice, {
        markings: answerMarkings,
        body: { outcome: 'refusal', europolCopy: noCopy },
      }),
    ).rejects.toMatchObject({ code: 'SCHEMA_INVALID' });
  });

  it('refuses an answer that answers no request, and a copy to Europol that does not name Europol', async () => {
    const body = {
      outcome: 'information',
      europolCopy: { copied: false, reasonNotCopied: 'outside-europol-objectives' },
    };
    expect(
      await rejection(
        at.publish({ kind: 'answer', markings: answerMarkings, body }, { recipients: ['de-bka'] }),
      ),
    ).toBe('PROVENANCE_MISSING');
    expect(
      await rejection(at.conversation.answer(original.notice, { markings: finnishAlert().markings, body })),
    ).toBe('ANSWER_WITHOUT_REQUEST');
    const bka = await sandbox.client('de-bka');
    expect(await rejection(bka.publish(bkaRequest(), { recipients: ['at-bmi'] }))).toBe(
      'EUROPOL_COPY_MISSING',
    );
    expect(await rejection(bka.publish(bkaRequest({ copied: false }), {}))).toBe('REQUEST_NOT_ADDRESSED');
  });
});

describe('the record', () => {
  it('the auditor re-derives every decision, provenance and inheritance included', async () => {
    await sandbox.auditSettled();
    const report = await sandbox.verifyAudit();
    expect(report.discrepancies).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('computes the Directive 2023/977 Art. 18 statistics from the audit log', async () => {
    const stats = await auditStats(sandbox.admin);
    // Two requests were accepted (the refused ones never became requests).
    expect(stats.requests).toBe(2);
    const row = (a: string) => stats.agencies.find((x) => x.agency === a);
    expect(row('de-bka')?.sent).toEqual({ total: 2, urgent: 1, nonUrgent: 1 });
    expect(row('at-bmi')?.received).toEqual({ total: 2, urgent: 1, nonUrgent: 1 });
    expect(row('at-bmi')?.answered).toEqual({ inTime: 2, late: 0, open: 0, overdue: 0 });
    expect(row('at-bmi')?.byAnswer).toEqual({ information: 1, partial: 0, refusal: 1, unanswered: 0 });
    expect(row('at-bmi')?.refusalsByGround).toEqual({ 'ongoing-investigation': 1 });
    expect(row('at-bmi')?.clarifications).toBe(1);
    // Europol's copy is not a request it received.
    expect(row('eu-europol')).toBeUndefined();
    // A week from now, nothing is late: both were answered.
    const later = await auditStats(sandbox.admin, { at: new Date(Date.now() + 8 * 24 * 3600_000) });
    expect(later.agencies.find((x) => x.agency === 'at-bmi')?.answered.late).toBe(0);
    // A period before the traffic holds nothing.
    expect((await auditStats(sandbox.admin, { to: new Date(Date.now() - 3600_000) })).requests).toBe(0);
  });
});
