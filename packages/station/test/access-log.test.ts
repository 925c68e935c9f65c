import { leafHash, verifyConsistency, verifyInclusion } from '@liaison/merkle';
import { AccessLog, openCheckpoint, verifyEntrySignature } from '@liaison/station';
import { describe, expect, it } from 'vitest';
import { storedNotice, testStation, withOfficers } from './helpers.js';

const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

describe('access log', () => {
  it('records a consultation with the officer, time, purpose and notice; signed by the agency key', async () => {
    const { station, keys } = await testStation();
    const { officer } = await withOfficers(station);
    const n = storedNotice('borderAlert');
    station.inbox.store(n);
    const before = Date.now();
    const { notice, entry } = await station.openNotice(officer, n.noticeId, {
      purpose: 'case-work',
      note: 'AT-BMI case',
    });
    expect(notice.body).toEqual(n.body);
    expect(entry.entry).toMatchObject({
      v: 1,
      seq: 0,
      station: 'de-bka',
      signer: keys.signing.record.kid,
      officer: { id: officer.id, username: 'anna.schmidt', role: 'officer' },
      action: 'consult',
      purpose: 'case-work',
      note: 'AT-BMI case',
      notice: {
        id: n.noticeId,
        sender: 'at-bmi',
        kind: 'border-alert',
        headerSha256: n.provenance.headerSha256,
      },
    });
    expect(Date.parse(entry.entry.at)).toBeGreaterThanOrEqual(before - 1000);
    expect(verifyEntrySignature(entry, keys.signing.publicKey)).toBe(true);
    expect(
      verifyEntrySignature(
        { ...entry, json: entry.json.replace('case-work', 'verification') },
        keys.signing.publicKey,
      ),
    ).toBe(false);
    // never content
    expect(entry.json).not.toContain('Petrova');
    expect(station.inbox.entry(n.noticeId).firstOpenedAt).toBeDefined();
  });

  it('records searches with their filters and disclosures with their recipients; refuses a missing purpose', async () => {
    const { station } = await testStation();
    const { officer, supervisor } = await withOfficers(station);
    const n = storedNotice('passengerDataHit');
    station.inbox.store(n);
    station.search(officer, {}); // the plain inbox view: not a search
    station.search(officer, { caseReference: 'NL-PIU-2026-1187', unread: true }, { purpose: 'case-work' });
    station.exportNotice(supervisor, n.noticeId, {
      purpose: 'case-work',
      recipients: ['Staatsanwaltschaft Köln'],
    });
    expect(() =>
      station.exportNotice(officer, n.noticeId, { purpose: 'case-work', recipients: ['x'] }),
    ).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    await expect(
      station.openNotice(officer, n.noticeId, { purpose: 'curiosity' as never }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const entries = station.log.query().map((e) => e.entry);
    expect(entries.map((e) => e.action)).toEqual(['disclose', 'search']);
    expect(entries[1]).toMatchObject({
      query: { caseReference: 'NL-PIU-2026-1187', unread: true },
      results: 1,
    });
    expect(entries[0]).toMatchObject({
      recipients: ['Staatsanwaltschaft Köln'],
      officer: { username: 'jonas.weber' },
    });
  });

  it('is readable by the DPO only', async () => {
    const { station } = await testStation();
    const { admin, officer, supervisor, dpo } = await withOfficers(station);
    for (const who of [admin, officer, supervisor])
      expect(() => station.accessLog(who)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(station.accessLog(dpo)).toEqual([]);
    // and the DPO opens no content
    const n = storedNotice('threatNotice');
    station.inbox.store(n);
    await expect(
      station.openNotice(dpo, n.noticeId, { purpose: 'data-protection-review' }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('gives RFC 9162 inclusion and consistency proofs that check against its signed checkpoint', async () => {
    const { station, keys } = await testStation();
    const { officer } = await withOfficers(station);
    const n = storedNotice('borderAlert');
    station.inbox.store(n);
    await station.openNotice(officer, n.noticeId, { purpose: 'case-work' });
    const early = openCheckpoint(
      station.log.signedCheckpoint(),
      { name: keys.signing.record.kid, publicRaw: keys.signing.publicRaw },
      keys.signing.publicKey,
    )!;
    for (let i = 0; i < 6; i++) await station.openNotice(officer, n.noticeId, { purpose: 'verification' });
    const note = station.log.signedCheckpoint();
    expect(note.startsWith(`liaison-station/de-bka\n7\n`)).toBe(true);
    const c = openCheckpoint(
      note,
      { name: keys.signing.record.kid, publicRaw: keys.signing.publicRaw },
      keys.signing.publicKey,
    )!;
    expect(c.size).toBe(7);
    for (const e of station.log.query()) {
      const p = station.log.inclusionProof(e.entry.seq);
      expect(p.leafHash).toBe(Buffer.from(leafHash(new TextEncoder().encode(e.json))).toString('hex'));
      expect(verifyInclusion(p.seq, p.size, hex(p.leafHash), p.path.map(hex), c.root)).toBe(true);
    }
    const proof = station.log.consistencyProof(early.size, 7).map(hex);
    expect(verifyConsistency(early.size, 7, early.root, c.root, proof)).toBe(true);
    expect(station.log.verify(early)).toEqual({ size: 7, problems: [] });
  });

  it('refuses UPDATE and DELETE, and a change behind SQLite’s back is found on reopening', async () => {
    const { station, db, keys } = await testStation();
    const { officer } = await withOfficers(station);
    const n = storedNotice('borderAlert');
    station.inbox.store(n);
    await station.openNotice(officer, n.noticeId, { purpose: 'case-work' });
    await station.openNotice(officer, n.noticeId, { purpose: 'case-work' });
    expect(() => db.prepare("UPDATE access_log SET entry = '{}' WHERE seq = 0").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM access_log').run()).toThrow(/append-only/);
    // an operator who drops the trigger and rewrites the purpose:
    db.exec('DROP TRIGGER access_log_no_update');
    const row = db.prepare('SELECT entry FROM access_log WHERE seq = 0').get() as { entry: string };
    db.prepare('UPDATE access_log SET entry = ? WHERE seq = 0').run(
      row.entry.replace('case-work', 'supervision'),
    );
    expect(station.log.verify().problems).toEqual(expect.arrayContaining(['entry 0: bad signature']));
    expect(() => AccessLog.open(db, keys)).toThrow(expect.objectContaining({ code: 'LOG_TAMPERED' }));
  });
});
