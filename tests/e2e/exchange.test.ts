import { decodeRecord, readRecords } from '@liaison/audit-log';
import { type FeedItem, LiaisonClient } from '@liaison/client';
import { createLogger } from '@liaison/core';
import { decodeEnvelope, signReceipt } from '@liaison/envelope';
import { exampleNotices } from '@liaison/fixtures';
import { Sandbox } from '@liaison/sandbox';
import { STREAMS, Subjects } from '@liaison/topology';
import { AuditEntryKind } from '@liaison/wire';
import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeed, readUntil } from './helpers.js';

const t = new Subjects();

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await Sandbox.start();
});
afterAll(async () => {
  await sandbox?.dispose();
});

describe('the exchange end to end', () => {
  it('delivers each kind at the level each recipient is entitled to, and nothing more', async () => {
    const ex = exampleNotices();
    const bmi = await sandbox.client('at-bmi');
    const piu = await sandbox.client('nl-piu');
    const europol = await sandbox.client('eu-europol');

    // No audience, no opt-in: a person-centred notice reaches no strategic partner.
    const r1 = await bmi.publish(ex.borderAlert);
    // The same with the sender's opt-in: the strategic partner gets it, coarsened.
    const r1o = await bmi.publish(ex.borderAlert, {}, { strategicOptIn: true });
    const r2 = await piu.publish(ex.passengerDataHit);
    const r3 = await europol.publish(ex.threatNotice);
    const levels = (r: typeof r1) => Object.fromEntries(r.recipients.map((x) => [x.recipient, x.level]));
    const refusal = (r: typeof r1, who: string) => r.refused?.find((x) => x.recipient === who)?.reasons;
    expect(levels(r1)).toMatchObject({ 'de-bka': 'operational', 'us-cbp': 'operational' });
    expect(levels(r1)['ru-mvd']).toBeUndefined();
    expect(refusal(r1, 'ru-mvd')).toContain('KIND_NOT_STRATEGIC');
    expect(levels(r1o)['ru-mvd']).toBe('strategic');
    expect(r1o.recipients.find((x) => x.recipient === 'ru-mvd')?.reasons).toContain('STRATEGIC_OPT_IN');
    expect(levels(r1)['cn-mps']).toBeUndefined();
    expect(refusal(r1, 'cn-mps')).toContain('NO_AGREEMENT');
    // A PNR hit with no audience reaches no strategic partner, and no third country
    // without an Art. 11 justification.
    expect(levels(r2)['ru-mvd']).toBeUndefined();
    expect(refusal(r2, 'ru-mvd')).toContain('PNR_TRANSFER_NOT_JUSTIFIED');
    expect(levels(r2)['us-cbp']).toBeUndefined();
    expect(refusal(r2, 'us-cbp')).toContain('PNR_TRANSFER_NOT_JUSTIFIED');
    expect(levels(r2)['de-bka']).toBe('operational');
    expect(levels(r3)['ru-mvd']).toBe('strategic');

    // Operational partner: the person's name and document number, exact crossing point.
    const us = await readFeed(await sandbox.client('us-cbp'), 3);
    expect(us.map((i) => i.notice.kind).sort()).toEqual(['border-alert', 'border-alert', 'threat-notice']);
    const usAlert = us.find((i) => i.notice.kind === 'border-alert')!;
    expect(usAlert.notice.level).toBe('operational');
    expect((usAlert.notice.body.person as { surname: string }).surname).toBe('Petrova');
    expect(usAlert.notice.body.documentNumber).toBe('382914756');
    expect(usAlert.notice.body.crossingPoint).toBe('AT Nickelsdorf (road, A4)');
    expect(usAlert.notice.body.observedAt).toBe(ex.borderAlert.body.observedAt);
    expect(usAlert.notice.sender).toBe('at-bmi');
    expect(usAlert.notice.markings.handlingCode).toBe('H2');
    // The case reference travels sealed, and every recipient still reads it.
    expect(usAlert.notice.markings.caseReference).toBe('AT-BMI-2026-0412');

    // Strategic partner: only the non-personal layer, never a personal field.
    const ru = await readFeed(await sandbox.client('ru-mvd'), 2);
    expect(ru.map((i) => i.notice.kind).sort()).toEqual(['border-alert', 'threat-notice']);
    for (const item of ru) {
      expect(item.notice.level).toBe('strategic');
      expect(item.notice.layers).toEqual(['strategic']);
      for (const field of [
        'person',
        'documentNumber',
        'vehicle',
        'travelCompanions',
        'passenger',
        'travelDocument',
      ]) {
        expect(item.notice.body[field]).toBeUndefined();
      }
    }
    const ruAlert = ru.find((i) => i.notice.kind === 'border-alert')!;
    expect(ruAlert.notice.noticeId).toBe(r1o.noticeId);
    // Coarsened quasi-identifiers: the country, the ISO week.
    expect(ruAlert.notice.body.crossingPoint).toBe('AT');
    expect(ruAlert.notice.body.observedAt).toMatch(/^\d{4}-W\d{2}$/);
    expect(ruAlert.notice.markings.strategicOptIn).toBe(true);

    // No agreement: nothing at all.
    const jsm = await jetstreamManager(sandbox.admin);
    for (const subject of [t.feedOf('cn-mps'), t.feedOf('in-cbi')]) {
      const info = await jsm.streams.info(STREAMS.feed, { subjects_filter: subject });
      expect(info.state.subjects ?? {}).toEqual({});
    }
  });

  it('never gives an SIS-sourced notice to a third party, at any level, even named', async () => {
    const ex = exampleNotices();
    const bmi = await sandbox.client('at-bmi');
    const sis = { ...ex.borderAlert, body: { ...ex.borderAlert.body, matchedAgainst: 'SIS' } };
    const r = await bmi.publish(
      sis,
      { recipients: ['de-bka', 'us-cbp', 'ru-mvd'] },
      { strategicOptIn: true },
    );
    expect(r.recipients.map((x) => x.recipient)).toEqual(['de-bka']);
    for (const who of ['us-cbp', 'ru-mvd'])
      expect(r.refused?.find((x) => x.recipient === who)?.reasons).toContain('SIS_NO_THIRD_PARTY');
    const item = await readUntil(await sandbox.client('de-bka'), (i) => i.notice.noticeId === r.noticeId);
    expect(item.notice.markings.sources).toEqual(['sis']);
  });

  it('sends PNR data to a third country only with its Art. 11 justification, recorded', async () => {
    const ex = exampleNotices();
    const piu = await sandbox.client('nl-piu');
    const justification = {
      recipient: 'us-cbp',
      ground: 'serious-crime' as const,
      dpoNotifiedAt: Date.now() - 60_000,
      dpoReference: 'NL-PIU-DPO-2026-77',
    };
    const refused = await piu.publish(ex.passengerDataHit, {
      recipients: ['us-cbp'],
      pnrTransfers: [{ ...justification, originPiu: 'fi-raja' }],
    });
    expect(refused.recipients).toEqual([]);
    expect(refused.refused?.find((x) => x.recipient === 'us-cbp')?.reasons).toContain('PNR_CONSENT_MISSING');
    const ok = await piu.publish(ex.passengerDataHit, {
      recipients: ['us-cbp'],
      pnrTransfers: [justification],
    });
    expect(ok.recipients.find((x) => x.recipient === 'us-cbp')).toMatchObject({
      level: 'operational',
      reasons: expect.arrayContaining(['PNR_TRANSFER_JUSTIFIED']),
    });
    const item = await readUntil(await sandbox.client('us-cbp'), (i) => i.notice.noticeId === ok.noticeId);
    expect((item.notice.body.passenger as { surname: string }).surname).toBe('de Vries');
  });

  it('keeps no free text in the cleartext header on FEED and AUDIT', async () => {
    const jsm = await jetstreamManager(sandbox.admin);
    const info = await jsm.streams.info(STREAMS.feed);
    let headers = 0;
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const m = await jsm.streams.getMessage(STREAMS.feed, { seq }).catch(() => null);
      if (!m) continue;
      const env = decodeEnvelope(m.data);
      const text = Buffer.from(env.header).toString('latin1');
      expect(text).not.toMatch(/AT-BMI-2026-0412|NL-PIU-2026-1187|EU-EUROPOL-TA-2026-33/);
      headers++;
    }
    expect(headers).toBeGreaterThan(0);
    await sandbox.auditSettled();
    const audit = await jsm.streams.info(STREAMS.audit);
    for (let seq = audit.state.first_seq; seq <= audit.state.last_seq; seq++) {
      const m = await jsm.streams.getMessage(STREAMS.audit, { seq }).catch(() => null);
      if (m) expect(Buffer.from(m.data).toString('latin1')).not.toMatch(/AT-BMI-2026-0412|NL-PIU-2026-1187/);
    }
  });

  it('stores no byte of the operational layer in a strategic recipient’s feed', async () => {
    const jsm = await jetstreamManager(sandbox.admin);
    const info = await jsm.streams.info(STREAMS.feed, { subjects_filter: t.feedOf('ru-mvd') });
    const strategicStored: Uint8Array[] = [];
    const operationalCiphertexts: Uint8Array[] = [];
    for (let seq = 1; seq <= info.state.last_seq; seq++) {
      const m = await jsm.streams.getMessage(STREAMS.feed, { seq }).catch(() => null);
      if (!m) continue;
      const env = decodeEnvelope(m.data);
      // t.feed('ru-mvd', '') is what every subject of ru-mvd's feed starts with.
      if (m.subject.startsWith(t.feed('ru-mvd', ''))) strategicStored.push(m.data);
      for (const l of env.layers) if (l.name === 'operational') operationalCiphertexts.push(l.ciphertext);
    }
    expect(strategicStored.length).toBeGreaterThan(0);
    expect(operationalCiphertexts.length).toBeGreaterThan(0);
    for (const stored of strategicStored) {
      const env = decodeEnvelope(stored);
      expect(env.layers.map((l) => l.name)).toEqual(['strategic']);
      expect(env.wraps.every((w) => w.layer === 'strategic' && w.recipient === 'ru-mvd')).toBe(true);
      for (const ct of operationalCiphertexts)
        expect(Buffer.from(stored).includes(Buffer.from(ct.subarray(0, 24)))).toBe(false);
      expect(Buffer.from(stored).toString('latin1')).not.toMatch(/Petrova|382914756|de Vries|Nickelsdorf/);
    }
  });

  it('tells the sender who received and who read', async () => {
    const bmi = await sandbox.client('at-bmi');
    const receipt = await bmi.publish(
      exampleNotices().borderAlert,
      { recipients: ['de-bka', 'ru-mvd'] },
      { strategicOptIn: true },
    );
    expect(receipt.recipients.map((r) => r.recipient).sort()).toEqual(['de-bka', 'ru-mvd']);
    const item = await readUntil(
      await sandbox.client('de-bka'),
      (i) => i.notice.noticeId === receipt.noticeId,
    );
    expect(item.notice.level).toBe('operational');
    let status: Awaited<ReturnType<typeof bmi.receiptsFor>> = [];
    for (let i = 0; i < 50 && !status.some((s) => s.readAt); i++) {
      status = await bmi.receiptsFor(receipt.noticeId);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status.find((s) => s.recipient === 'de-bka')).toMatchObject({
      level: 'operational',
      readAt: expect.any(Number),
    });
    expect(status.find((s) => s.recipient === 'ru-mvd')?.readAt).toBeUndefined();
  });

  it('relays no read receipt for a notice its signer was not given, or for another sender', async () => {
    const bmi = await sandbox.client('at-bmi');
    const receipt = await bmi.publish(
      exampleNotices().borderAlert,
      { recipients: ['de-bka', 'ru-mvd'] },
      { strategicOptIn: true },
    );
    const item = await readUntil(
      await sandbox.client('ru-mvd'),
      (i) => i.notice.noticeId === receipt.noticeId,
    );
    const headerSha256 = Buffer.from(item.notice.grant.headerSha256).toString('hex');
    const js = jetstream(sandbox.admin);
    const claim = (recipient: string, sender: string) =>
      signReceipt(
        { type: 'read', noticeId: receipt.noticeId, sender, recipient, headerSha256, readAt: Date.now() },
        sandbox.keys.get(recipient)!,
      );
    // cn-mps (no agreement) was never given the notice; de-bka was, but names another sender.
    await js.publish(t.ack('cn-mps'), new TextEncoder().encode(await claim('cn-mps', 'at-bmi')));
    await js.publish(t.ack('de-bka'), new TextEncoder().encode(await claim('de-bka', 'nl-piu')));
    let status: Awaited<ReturnType<typeof bmi.receiptsFor>> = [];
    for (let i = 0; i < 50 && !status.some((s) => s.recipient === 'ru-mvd' && s.readAt); i++) {
      status = await bmi.receiptsFor(receipt.noticeId);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status.find((s) => s.recipient === 'ru-mvd')?.readAt).toEqual(expect.any(Number));
    await new Promise((r) => setTimeout(r, 500));
    status = await bmi.receiptsFor(receipt.noticeId);
    expect(status.find((s) => s.recipient === 'cn-mps')).toBeUndefined();
    expect(status.find((s) => s.recipient === 'de-bka')?.readAt).toBeUndefined();
    const nl = await (await sandbox.client('nl-piu')).receiptsFor(receipt.noticeId);
    expect(nl.some((s) => s.readAt)).toBe(false);
  });

  it('relays and audits one read receipt per notice and recipient, however often it is sent', async () => {
    const bmi = await sandbox.client('at-bmi');
    const receipt = await bmi.publish(exampleNotices().borderAlert, { recipients: ['de-bka'] });
    // The delivery itself, read but not acknowledged through the SDK (which would send its own receipt).
    const bka = await sandbox.client('de-bka');
    const ctrl = new AbortController();
    let item: FeedItem | undefined;
    for await (const i of bka.feed({ signal: ctrl.signal })) {
      if (i.notice.noticeId === receipt.noticeId) {
        item = i;
        break;
      }
      await i.ack();
    }
    ctrl.abort();
    const headerSha256 = Buffer.from(item!.notice.grant.headerSha256).toString('hex');
    const readAt = Date.now();
    const signed = (at: number) =>
      signReceipt(
        {
          type: 'read',
          noticeId: receipt.noticeId,
          sender: 'at-bmi',
          recipient: 'de-bka',
          headerSha256,
          readAt: at,
        },
        sandbox.keys.get('de-bka')!,
      );
    const first = new TextEncoder().encode(await signed(readAt));
    const later = new TextEncoder().encode(await signed(readAt + 5000));
    const js = jetstream(sandbox.admin);
    // No message ids: JetStream's duplicate window must not be what keeps them apart.
    await Promise.all([first, first, first].map((b) => js.publish(t.ack('de-bka'), b)));
    await js.publish(t.ack('de-bka'), later);
    const jsm = await jetstreamManager(sandbox.admin);
    for (let i = 0; i < 100 && (await jsm.streams.info(STREAMS.acks)).state.messages > 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    await sandbox.auditSettled();

    // What the sender's receipt subject holds: the submission receipt and one read receipt.
    const consumer = await js.consumers.get(STREAMS.receipts, {
      filter_subjects: t.receipt('at-bmi', receipt.noticeId),
      deliver_policy: DeliverPolicy.All,
    });
    const relayed: number[] = [];
    let receipts = 0;
    for await (const m of await consumer.fetch({ max_messages: 20, expires: 1000 })) {
      receipts++;
      const payload = JSON.parse(Buffer.from(m.string().split('.')[1]!, 'base64url').toString());
      if (payload.type === 'read') relayed.push(payload.readAt);
    }
    expect(receipts).toBe(2);
    expect(relayed).toEqual([readAt]);
    const status = await bmi.receiptsFor(receipt.noticeId);
    expect(status.find((s) => s.recipient === 'de-bka')?.readAt).toBe(readAt);

    // The audit log holds one read entry for it, with the same read receipt.
    const reads: number[] = [];
    for await (const { data } of readRecords(sandbox.admin, STREAMS.audit)) {
      const { entry } = decodeRecord(data);
      if (entry.kind === AuditEntryKind.READ && entry.noticeId === receipt.noticeId)
        reads.push(JSON.parse(Buffer.from(entry.readReceipt.split('.')[1]!, 'base64url').toString()).readAt);
    }
    expect(reads).toEqual([readAt]);
  });

  it('keeps a delivery it cannot open yet because the gate is away, and opens it once it is back', async () => {
    const bmi = await sandbox.client('at-bmi');
    const receipt = await bmi.publish(exampleNotices().borderAlert, { recipients: ['fi-raja'] });
    // A fresh client knows no sender key yet: opening needs the gate's directory. It reads
    // through Finland's per-kind durable (provisioned by the operator; no other test uses it).
    const fresh = await LiaisonClient.connect({
      nc: await sandbox.connection('fi-raja'),
      keys: sandbox.keys.get('fi-raja')!,
      gateKeys: sandbox.gateKeys,
      logger: createLogger('client-fi-raja-fresh', { level: 'silent' }),
    });
    const find = async (timeoutMs: number) => {
      const ctrl = new AbortController();
      const timer = setTimeout(() => ctrl.abort(), timeoutMs);
      try {
        for await (const item of fresh.feed({ kind: 'border-alert', signal: ctrl.signal }))
          if (item.notice.noticeId === receipt.noticeId) return item;
      } finally {
        clearTimeout(timer);
        ctrl.abort();
      }
      return undefined;
    };
    await sandbox.gate!.stop();
    try {
      expect(await find(2500)).toBeUndefined();
    } finally {
      await sandbox.startGate();
    }
    const item = await find(15_000);
    expect(item?.notice.level).toBe('operational');
    await fresh.close();
  });
});
