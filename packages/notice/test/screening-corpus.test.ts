import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyIdentifier, ownValuesOf } from '../src/index.js';

interface Item {
  text: string;
  personal: boolean;
  class: string;
  lang: string;
}
const corpus = JSON.parse(
  readFileSync(new URL('./fixtures/screening-corpus.json', import.meta.url), 'utf8'),
) as {
  context: { operational: Record<string, unknown> };
  items: Item[];
};
const NOW = new Date('2026-11-25T10:00:00Z');
const own = ownValuesOf(corpus.context.operational);
const flagged = (i: Item) => classifyIdentifier(i.text, own, { now: NOW }) !== undefined;

/** Rates over the labelled corpus, printed with the test run (and quoted in docs/decisions/0007). */
function measure() {
  const personal = corpus.items.filter((i) => i.personal);
  const ordinary = corpus.items.filter((i) => !i.personal);
  const missed = personal.filter((i) => !flagged(i));
  const blocked = ordinary.filter(flagged);
  const byClass = new Map<string, { n: number; hit: number }>();
  for (const i of corpus.items) {
    const c = byClass.get(i.class) ?? { n: 0, hit: 0 };
    c.n++;
    if (flagged(i)) c.hit++;
    byClass.set(i.class, c);
  }
  return { personal, ordinary, missed, blocked, byClass };
}

const holdout = JSON.parse(
  readFileSync(new URL('./fixtures/screening-holdout.json', import.meta.url), 'utf8'),
) as { items: Item[] };

/** The measured rates go to the test output (and into docs/decisions/0007). */
const report = (text: string) => process.stdout.write(`${text}\n`);

describe('screening on the labelled corpus', () => {
  it('has at least 300 items across every identifier class and ordinary prose in several languages', () => {
    expect(corpus.items.length).toBeGreaterThanOrEqual(300);
    const classes = new Set(corpus.items.filter((i) => i.personal).map((i) => i.class));
    for (const c of [
      'own-value',
      'mrz',
      'iban',
      'payment-card',
      'national-id',
      'document-number',
      'vin',
      'plate',
      'booking-locator',
      'ip-address',
      'email',
      'phone',
      'date-of-birth',
      'address',
      'name',
    ])
      expect(classes, c).toContain(c);
    expect(new Set(corpus.items.map((i) => i.lang)).size).toBeGreaterThanOrEqual(8);
  });

  it('catches ≥ 95% of the identifiers and blocks ≤ 5% of the ordinary phrases', () => {
    const m = measure();
    const recall = 1 - m.missed.length / m.personal.length;
    const fpRate = m.blocked.length / m.ordinary.length;
    const lines = [...m.byClass].map(([c, v]) => `  ${c.padEnd(22)} ${v.hit}/${v.n}`);
    report(
      [
        `screening corpus: ${m.personal.length - m.missed.length} of ${m.personal.length} identifiers caught ` +
          `(recall ${recall.toFixed(3)}), ${m.blocked.length} of ${m.ordinary.length} ordinary phrases blocked ` +
          `(false-positive rate ${fpRate.toFixed(3)})`,
        '  flagged per class (for ordinary classes: blocked):',
        ...lines,
        ...m.missed.map((i) => `  missed [${i.class}] ${i.text}`),
        ...m.blocked.map((i) => `  blocked [${i.class}] ${i.text}`),
      ].join('\n'),
    );
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(fpRate).toBeLessThanOrEqual(0.05);
  });

  it('reports the rates on held-out probes it was not tuned on', () => {
    const personal = holdout.items.filter((i) => i.personal);
    const ordinary = holdout.items.filter((i) => !i.personal);
    const caught = personal.filter(flagged);
    const blocked = ordinary.filter(flagged);
    report(
      [
        `screening held-out probes: ${caught.length} of ${personal.length} identifiers caught, ` +
          `${blocked.length} of ${ordinary.length} ordinary phrases blocked`,
        ...personal.filter((i) => !flagged(i)).map((i) => `  missed [${i.class}] ${i.text}`),
        ...blocked.map((i) => `  blocked [${i.class}] ${i.text}`),
      ].join('\n'),
    );
    expect(holdout.items.length).toBeGreaterThan(40);
  });
});
