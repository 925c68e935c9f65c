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

    const r1 = await bmi.publish(ex.borderAlert);
    const r2 = await piu.publish(ex.passengerDataHit, { deny: ['country:RU'] });
    const r3 = await europol.publish(ex.threatNotice);
    const levels = (r: typeof r1) => Object.fromEntries(r.recipients.map((x) => [x.recipient, x.level]));
    expect(levels(r1)).toMatchObject({
      'de-bka': 'operational',
      'us-cbp': 'operational',
      'ru-mvd': 'strategic',
    });
    expect(levels(r1)['cn-mps']).toBeUndefined();
    expect(levels(r2)['ru-mvd']).toBeUndefined();
    expect(levels(r3)['ru-mvd']).toBe('strategic');

    // Operational partner: the person's name and document number.
    const us = await readFeed(await sandbox.client('us-cbp'), 3);
    const usAlert = us.find((i) => i.notice.kind === 'border-alert')!;
    expect(usAlert.notice.level).toBe('operational');
    expect((usAlert.notice.body.person as { surname: string }).surname).toBe('Petrova');
    expect(usAlert.notice.body.documentNumber).toBe('382914756');
    expect(usAlert.notice.sender).toBe('at-bmi');
    expect(usAlert.notice.markings.handlingCode).toBe('H2');

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
    expect(ru.find((i) => i.notice.kind === 'border-alert')!.notice.body.crossingPoint).toBe(
      'AT Nickelsdorf (road, A4)',
    );

    // No agreement: nothing at all.
    const jsm = await jetstreamManager(sandbox.admin);
    for (const subject of [t.feedOf('cn-mps'), t.feedOf('in-cbi')]) {
      const info = await jsm.streams.info(STREAMS.feed, { subjects_filter: subject });
      expect(info.state.subjects ?? {}).toEqual({});
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
      expect(Buffer.from(stored).toString('latin1')).not.toMatch(/Petrova|382914756|de Vries/);
    }
  });

  it('tells the sender who received and who read', async () => {
    const bmi = await sandbox.client('at-bmi');
    const receipt = await bmi.publish(exampleNotices().borderAlert, { recipients: ['de-bka', 'ru-mvd'] });
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
    const receipt = await bmi.publish(exampleNotices().borderAlert, { recipients: ['de-bka', 'ru-mvd'] });
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
