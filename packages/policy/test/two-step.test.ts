import {
  create,
  EuropolCopySchema,
  HitAnswerTermsSchema,
  HitResult,
  MatchConfirmationSchema,
  type NoticeHeader,
  NoticeHeaderSchema,
  ProvenanceSchema,
  Relation,
  RequestTermsSchema,
} from '@liaison/wire';
import { describe, expect, it } from 'vitest';
import { twoStepViolation } from '../src/index.js';

// The two-step rules (docs/decisions/0015) on signed headers alone, as the gate applies
// them and the auditor re-derives them.

const T = 1_800_000_000_000;
const reply = (to: string) =>
  create(ProvenanceSchema, { relation: Relation.REPLY, noticeId: to, headerSha256: new Uint8Array(32) });
const header = (h: Omit<Partial<NoticeHeader>, '$typeName' | '$unknown'>) =>
  create(NoticeHeaderSchema, {
    domain: 'liaison.v1.NoticeHeader',
    sender: 'de-bka',
    createdAtMs: BigInt(T),
    ...h,
  });
const request = (h: Parameters<typeof header>[0] = {}) =>
  header({
    kind: 'information-request',
    request: create(RequestTermsSchema, { directlyAccessible: true, dueAtMs: BigInt(T + 8 * 3600_000) }),
    europolCopy: create(EuropolCopySchema, { copied: false, reasonNotCopied: 'would-harm-investigation' }),
    ...h,
  });
const query = header({ kind: 'hit-query', noticeId: 'q' });
const answer = (result: HitResult) =>
  header({
    kind: 'hit-answer',
    noticeId: 'a',
    sender: 'at-bmi',
    createdAtMs: BigInt(T - 60_000),
    provenance: reply('q'),
    hit: create(HitAnswerTermsSchema, { result }),
  });
const confirmed = (at: number) =>
  create(MatchConfirmationSchema, { confirmedBy: 'officer-4711', confirmedAtMs: BigInt(at) });

describe('twoStepViolation', () => {
  it('lets a hit-answer reply to a hit-query only', () => {
    expect(twoStepViolation(answer(HitResult.HIT), query)).toBeUndefined();
    expect(twoStepViolation(answer(HitResult.HIT), request())).toBe('HIT_ANSWER_WITHOUT_QUERY');
    expect(twoStepViolation(answer(HitResult.HIT), undefined)).toBe('HIT_ANSWER_WITHOUT_QUERY');
  });

  it('asks for the data only after a person confirmed a hit', () => {
    const hit = answer(HitResult.HIT);
    expect(twoStepViolation(request({ provenance: reply('a') }), hit)).toBe('MATCH_NOT_CONFIRMED');
    // Confirmed before the hit existed, or after the follow-up was written: no confirmation of it.
    expect(
      twoStepViolation(request({ provenance: reply('a'), matchConfirmation: confirmed(T - 120_000) }), hit),
    ).toBe('MATCH_NOT_CONFIRMED');
    expect(
      twoStepViolation(request({ provenance: reply('a'), matchConfirmation: confirmed(T + 1) }), hit),
    ).toBe('MATCH_NOT_CONFIRMED');
    expect(
      twoStepViolation(request({ provenance: reply('a'), matchConfirmation: confirmed(T - 30_000) }), hit),
    ).toBeUndefined();
  });

  it('refuses a follow-up of a no-hit, and a confirmation that follows up nothing', () => {
    expect(
      twoStepViolation(
        request({ provenance: reply('a'), matchConfirmation: confirmed(T - 30_000) }),
        answer(HitResult.NO_HIT),
      ),
    ).toBe('FOLLOW_UP_WITHOUT_HIT');
    expect(twoStepViolation(request({ matchConfirmation: confirmed(T - 30_000) }), undefined)).toBe(
      'FOLLOW_UP_WITHOUT_HIT',
    );
    // An ordinary request (Directive 2023/977, no two steps) is not concerned.
    expect(twoStepViolation(request(), undefined)).toBeUndefined();
  });
});
