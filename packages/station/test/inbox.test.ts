import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inboxKey, openDb, rewrapInboxKey } from '@liaison/station';
import { describe, expect, it } from 'vitest';
import { keysFor, storedNotice, tempDir, testStation } from './helpers.js';

describe('inbox', () => {
  it('keeps content encrypted at rest: the database file holds no personal field', async () => {
    using tmp = tempDir();
    const file = join(tmp.dir, 'station.db');
    const db = openDb(file);
    const { station } = await testStation({ db });
    const n = storedNotice('borderAlert');
    expect(station.inbox.store(n)).toBe(true);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const bytes = readFileSync(file);
    for (const secret of ['Petrova', '382914756', 'WV2ZZZ7HZ8H123456', 'Nickelsdorf'])
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
    // the header fields it filters on are there in clear (non-personal by construction)
    expect(bytes.includes(Buffer.from('AT-BMI-2026-0412'))).toBe(true);
  });

  it('opens only with the agency key it was wrapped to, and survives a rewrap to a new key', async () => {
    const db = openDb(':memory:');
    const oldKeys = await keysFor('de-bka');
    const { station } = await testStation({ db, keys: oldKeys });
    const n = storedNotice('passengerDataHit');
    station.inbox.store(n);
    const newKeys = await keysFor('de-bka');
    await expect(inboxKey(db, newKeys)).rejects.toMatchObject({ code: 'INBOX_KEY_MISMATCH' });
    await rewrapInboxKey(db, oldKeys, newKeys);
    const { station: reopened } = await testStation({ db, keys: newKeys });
    expect(reopened.inbox.read(n.noticeId).body).toEqual(n.body);
  });

  it('refuses a ciphertext moved to another row (the notice id is bound as associated data)', async () => {
    const { station, db } = await testStation();
    const a = storedNotice('borderAlert');
    const b = storedNotice('threatNotice');
    station.inbox.store(a);
    station.inbox.store(b);
    db.prepare(
      'UPDATE inbox SET nonce = (SELECT nonce FROM inbox WHERE notice_id = ?), ciphertext = (SELECT ciphertext FROM inbox WHERE notice_id = ?) WHERE notice_id = ?',
    ).run(a.noticeId, a.noticeId, b.noticeId);
    expect(() => station.inbox.read(b.noticeId)).toThrow(
      expect.objectContaining({ code: 'DECRYPTION_FAILED' }),
    );
  });

  it('stores a redelivery once, lists urgent first, filters on every header field and replays in order', async () => {
    const { station } = await testStation();
    const t0 = Date.now();
    const threat = storedNotice('threatNotice', { sender: 'europol' });
    const border = storedNotice('borderAlert');
    const pnr = storedNotice('passengerDataHit', { sender: 'nl-piu' });
    station.inbox.store(threat, t0 + 3);
    station.inbox.store(border, t0 + 1);
    station.inbox.store(pnr, t0 + 2);
    expect(station.inbox.store(border)).toBe(false);

    const order = station.inbox.list().map((l) => l.noticeId);
    expect(order).toEqual([pnr.noticeId, border.noticeId, threat.noticeId]); // urgent, newest first
    expect(station.inbox.list({ kind: 'threat-notice' }).map((l) => l.noticeId)).toEqual([threat.noticeId]);
    expect(station.inbox.list({ caseReference: 'AT-BMI-2026-0412' })).toHaveLength(1);
    expect(station.inbox.list({ sender: 'nl-piu' })).toHaveLength(1);
    expect(station.inbox.list({ crimeArea: 'document-fraud' }).map((l) => l.noticeId)).toEqual([
      border.noticeId,
    ]);
    expect(station.inbox.list({ priority: 'non-urgent' }).map((l) => l.noticeId)).toEqual([threat.noticeId]);
    const today = new Date().toISOString().slice(0, 10);
    expect(station.inbox.list({ from: today, to: today })).toHaveLength(3);
    expect(station.inbox.list({ to: '2000-01-01' })).toHaveLength(0);

    station.inbox.markOpened(pnr.noticeId);
    expect(station.inbox.list({ unread: true }).map((l) => l.noticeId)).toEqual([
      border.noticeId,
      threat.noticeId,
    ]);
    // an opened urgent notice goes below the unread urgent ones
    expect(station.inbox.list()[0]!.noticeId).toBe(border.noticeId);
    expect(station.inbox.count()).toEqual({ total: 3, unread: 2, urgentUnread: 1 });
    expect([...station.inbox.replay()].map((l) => l.noticeId)).toEqual([
      threat.noticeId,
      border.noticeId,
      pnr.noticeId,
    ]);
    expect([...station.inbox.replay(1)]).toHaveLength(2);
  });
});
