// The lifecycle of what a station holds, with a clock the test moves months ahead:
// one notice crypto-shredded without touching the others, review decisions that keep
// one notice and let another expire, PNR data masked at six months with re-disclosure
// only under a recorded authorisation, deleted at five years, and provider amendments.
import { createLogger } from '@liaison/core';
import { LEGAL_LIMITS, PNR_MASK } from '@liaison/notice';
import { openDb, Station } from '@liaison/station';
import { describe, expect, it } from 'vitest';
import { keysFor, storedNotice, TEST_COST, withOfficers } from './helpers.js';

const DAY = 86_400_000;

async function stationAt(clock: { now: number }) {
  const keys = await keysFor('de-bka');
  const db = openDb(':memory:');
  const station = await Station.open({
    db,
    keys,
    logger: createLogger('station-test', { level: 'silent' }),
    passwordCost: TEST_COST,
    now: () => clock.now,
  });
  return { station, db, keys, people: await withOfficers(station) };
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('crypto-shredding one notice', () => {
  it('destroys that notice’s key only: its ciphertext opens nowhere, the others still open', async () => {
    const clock = { now: Date.now() };
    const { station, db } = await stationAt(clock);
    const a = storedNotice('borderAlert');
    const b = storedNotice('borderAlert');
    station.inbox.store(a);
    station.inbox.store(b);
    const saved = db.prepare('SELECT nonce, ciphertext FROM inbox WHERE notice_id = ?').get(a.noticeId) as {
      nonce: Uint8Array;
      ciphertext: Uint8Array;
    };
    // Each row is under a key of its own, not the station's data key.
    expect(station.inbox.keys.has(a.noticeId)).toBe(true);
    station.inbox.shred(a.noticeId);
    expect(() => station.inbox.read(a.noticeId)).toThrow(expect.objectContaining({ code: 'ERASED' }));
    expect(station.inbox.read(b.noticeId).body).toEqual(b.body);
    // The key is gone: even a copy of the old ciphertext (a backup) cannot be opened with what the station holds.
    expect(station.inbox.keys.has(a.noticeId)).toBe(false);
    expect(() => station.inbox.keys.open(a.noticeId, 'content', saved.nonce, saved.ciphertext)).toThrow();
    const row = db
      .prepare('SELECT length(ciphertext) AS n FROM inbox WHERE notice_id = ?')
      .get(a.noticeId) as { n: number };
    expect(row.n).toBe(0);
    // The line stays (the notice existed; its content is gone).
    expect(station.inbox.entry(a.noticeId).noticeId).toBe(a.noticeId);
  });
});

describe('review', () => {
  it('lists the notices due; a reasoned keep extends one, the other expires and is erased at its review date', async () => {
    const t0 = Date.now();
    const clock = { now: t0 };
    const { station, people } = await stationAt(clock);
    const keep = storedNotice('borderAlert', { markings: { reviewAt: iso(t0 + 20 * DAY) } });
    const expire = storedNotice('borderAlert', { markings: { reviewAt: iso(t0 + 25 * DAY) } });
    const later = storedNotice('borderAlert', { markings: { reviewAt: iso(t0 + 200 * DAY) } });
    for (const n of [keep, expire, later]) station.inbox.store(n);

    const due = station.lifecycle.reviewsDue(people.dpo);
    expect(due.map((d) => d.entry.noticeId)).toEqual([keep.noticeId, expire.noticeId]);
    expect(() => station.lifecycle.reviewsDue(people.admin)).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );

    // A keep needs a reason and a date within three years.
    expect(() =>
      station.lifecycle.recordReview(people.dpo, keep.noticeId, {
        decision: 'keep',
        reason: 'short',
        until: iso(t0 + 90 * DAY),
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() =>
      station.lifecycle.recordReview(people.dpo, keep.noticeId, {
        decision: 'keep',
        reason: 'the investigation AT-2026-0412 is still open',
        until: iso(t0 + 4 * 365 * DAY),
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    station.lifecycle.recordReview(people.dpo, keep.noticeId, {
      decision: 'keep',
      reason: 'the investigation AT-2026-0412 is still open',
      until: iso(t0 + 90 * DAY),
    });
    station.lifecycle.recordReview(people.officer, expire.noticeId, {
      decision: 'expire',
      reason: 'no longer needed',
    });

    clock.now = t0 + 30 * DAY;
    const sweep = station.lifecycle.applyRetention();
    expect(sweep.erased).toEqual([{ noticeId: expire.noticeId, code: 'REVIEW_NOT_EXTENDED' }]);
    expect(station.inbox.read(keep.noticeId).noticeId).toBe(keep.noticeId);
    expect(() => station.inbox.read(expire.noticeId)).toThrow(expect.objectContaining({ code: 'ERASED' }));
    expect(
      station.lifecycle.reviewsDue(people.dpo, { before: t0 + 100 * DAY }).map((d) => d.entry.noticeId),
    ).toEqual([keep.noticeId]);

    // Both decisions and the erasure are in the signed access log, with no content.
    const log = station.accessLog(people.dpo).map((s) => s.entry);
    const lifecycle = log.filter((e) => ['review', 'erase'].includes(e.action)).reverse();
    expect(lifecycle.map((e) => [e.action, e.officer.username, e.lifecycle?.code, e.notice?.id])).toEqual([
      ['review', 'dora.privat', 'KEEP', keep.noticeId],
      ['review', 'anna.schmidt', 'EXPIRE', expire.noticeId],
      ['erase', 'station', 'REVIEW_NOT_EXTENDED', expire.noticeId],
    ]);
    expect(lifecycle[0]!.lifecycle?.until).toBe(iso(t0 + 90 * DAY));
    expect(JSON.stringify(log)).not.toContain('Petrova');
    expect(station.verifyAccessLog(people.dpo).problems).toEqual([]);
  });
});

describe('PNR depersonalisation (Directive 2016/681 Art. 12)', () => {
  it('masks the identifying fields at six months, re-discloses only with the authorisation, deletes at five years', async () => {
    const t0 = Date.now();
    const clock = { now: t0 };
    const { station, db, people } = await stationAt(clock);
    const hit = storedNotice('passengerDataHit', {
      markings: { sources: ['pnr', 'api'], reviewAt: iso(t0 + 3 * 365 * DAY) },
      body: { dataCollectedAt: iso(t0 - DAY), remarks: 'Paid in cash at the airport desk' },
    });
    station.inbox.store(hit);
    const full = station.inbox.read(hit.noticeId).body;

    clock.now = t0 + LEGAL_LIMITS.pnrDepersonaliseAfterMs - 2 * DAY;
    expect(station.lifecycle.applyRetention().masked).toEqual([]);
    clock.now = t0 + LEGAL_LIMITS.pnrDepersonaliseAfterMs;
    expect(station.lifecycle.applyRetention().masked).toEqual([hit.noticeId]);

    const { notice } = await station.openNotice(people.officer, hit.noticeId, { purpose: 'case-work' });
    for (const f of ['passenger', 'travelDocument', 'payment', 'contact', 'remarks'])
      expect(notice.body[f]).toEqual(PNR_MASK);
    // What Art. 12(2) does not list stays: the flight, the seat, the bags, the booking locator.
    expect(notice.body.flight).toEqual(full.flight);
    expect(notice.body.seat).toBe(full.seat);
    expect(JSON.stringify(notice)).not.toContain('de Vries');

    // Full data only for a supervisor, only with the authority's decision recorded.
    const authorisation = {
      authority: 'Rechtbank Amsterdam',
      reference: 'RK-2026-0098',
      decidedAt: iso(clock.now),
    };
    expect(() =>
      station.lifecycle.redisclose(people.officer, hit.noticeId, { authorisation, purpose: 'case-work' }),
    ).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() =>
      station.lifecycle.redisclose(people.supervisor, hit.noticeId, {
        authorisation: { authority: '', reference: '', decidedAt: 'yesterday' },
        purpose: 'case-work',
      }),
    ).toThrow(expect.objectContaining({ code: 'AUTHORISATION_REQUIRED' }));
    const re = station.lifecycle.redisclose(people.supervisor, hit.noticeId, {
      authorisation,
      purpose: 'case-work',
    });
    expect(re.notice.body).toEqual(full);
    expect(re.entry.entry.lifecycle).toEqual({ code: 'PNR_ART_12_3', authorisation });

    // Review kept it (a reasoned decision) — still, five years is the end.
    station.lifecycle.recordReview(people.dpo, hit.noticeId, {
      decision: 'keep',
      reason: 'prosecution pending before the court',
      until: iso(clock.now + 2.5 * 365 * DAY),
    });
    clock.now = t0 + LEGAL_LIMITS.pnrDeleteAfterMs;
    expect(station.lifecycle.applyRetention().erased).toEqual([
      { noticeId: hit.noticeId, code: 'RETENTION_ENDED' },
    ]);
    expect(() => station.inbox.read(hit.noticeId)).toThrow(expect.objectContaining({ code: 'ERASED' }));
    expect(db.prepare('SELECT COUNT(*) AS n FROM pnr_full').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM notice_keys').get()).toEqual({ n: 0 });
  });
});

describe('provider amendments', () => {
  it('replaces a copy by its rectification and erases on request, only for the same sender and header', async () => {
    const clock = { now: Date.now() };
    const { station, people } = await stationAt(clock);
    const original = storedNotice('borderAlert');
    station.inbox.store(original);
    // A station that exported it counts the derived copy.
    station.exportNotice(people.supervisor, original.noticeId, {
      purpose: 'case-work',
      recipients: ['court file 12'],
    });
    const facts = {
      noticeId: original.noticeId,
      headerSha256: original.provenance.headerSha256,
      reason: 'inaccurate',
    };

    const stranger = storedNotice('borderAlert', { sender: 'fi-raja' });
    expect(station.lifecycle.applyAmendment(stranger, { ...facts, action: 'erasure-request' })).toEqual({
      applied: false,
      code: 'MISMATCH',
    });

    const rectification = storedNotice('borderAlert', { body: { documentNumber: '382914757' } });
    station.inbox.store(rectification);
    expect(station.lifecycle.applyAmendment(rectification, { ...facts, action: 'rectification' })).toEqual({
      applied: true,
      code: 'RECTIFIED',
    });
    expect(() => station.inbox.read(original.noticeId)).toThrow(/replaced by its rectification/);
    expect(station.inbox.read(rectification.noticeId).body.documentNumber).toBe('382914757');

    // The erasure request then erases the rectification too (the chain of copies).
    const request = storedNotice('borderAlert', { body: {} });
    station.inbox.store(request);
    expect(station.lifecycle.applyAmendment(request, { ...facts, action: 'erasure-request' })).toEqual({
      applied: true,
      code: 'ERASED',
    });
    expect(() => station.inbox.read(rectification.noticeId)).toThrow(
      expect.objectContaining({ code: 'ERASED' }),
    );
    const entries = station
      .accessLog(people.dpo)
      .map((s) => s.entry)
      .reverse();
    const amended = entries.filter((e) => e.lifecycle?.amendmentId);
    expect(
      amended.map((e) => [e.action, e.notice?.id, e.lifecycle?.code, e.lifecycle?.derivedCopies]),
    ).toEqual([
      ['rectify', original.noticeId, 'RECTIFIED', 1],
      ['erase', rectification.noticeId, 'ERASURE_REQUESTED', 0],
    ]);
  });
});
