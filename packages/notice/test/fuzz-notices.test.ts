// Fuzzing validateNotice, the edge where a sender's JSON enters (docs/wire-format.md
// §11): any JSON value, valid notices with a field deleted, replaced, added or two
// fields' values swapped, mutated JSON text, and adversarial free text for the
// screening's patterns. Each is refused with a NoticeError code or accepted as a notice
// whose markings and body validate and whose layers hold what its marks say; no input
// makes it crash or take long.
import { exampleNotices } from '@liaison/fixtures';
import { byteMutations, fuzzParams, isCrash, mutateText, outcomeOf, withinMs } from '@liaison/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KINDS, MarkingsSchema, mergeLayers, type ValidNotice, validateNotice } from '../src/index.js';

const NOW = new Date('2026-11-25T10:00:00Z');
const examples = Object.values(exampleNotices(NOW));

/** An accepted notice is one that validates, split as its marks say. */
function checkAccepted(n: ValidNotice): void {
  expect(MarkingsSchema.safeParse(n.markings).success).toBe(true);
  expect(KINDS[n.kind].body.safeParse(n.body).success).toBe(true);
  // Every field goes to one layer; an empty list goes nowhere (splitLayers).
  const present = Object.entries(n.body).filter(([, v]) => !(Array.isArray(v) && v.length === 0));
  expect(mergeLayers(n.layers)).toEqual(Object.fromEntries(present));
}

/** validateNotice is synchronous: a deadline interrupts it should it hang (a backtracking pattern). */
const HANG_MS = 2000;

function outcome(input: unknown): Promise<string> {
  let accepted: ValidNotice | undefined;
  return outcomeOf(() => {
    accepted = withinMs(HANG_MS, () => validateNotice(input, NOW));
  }).then((o) => {
    expect(isCrash(o)).toBe(false);
    if (o === 'ACCEPTED') checkAccepted(accepted!);
    return o;
  });
}

type Json = Record<string, unknown>;
const clone = <T>(x: T): T => structuredClone(x);

/** Paths to every value of a JSON object (objects and arrays walked). */
function paths(x: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof x !== 'object' || x === null) return [prefix];
  const keys = Array.isArray(x) ? x.map((_, i) => i) : Object.keys(x);
  return [prefix, ...keys.flatMap((k) => paths((x as Json)[k as string], [...prefix, k]))];
}

function at(x: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Json | undefined)?.[k as string], x);
}

function set(x: unknown, path: (string | number)[], value: unknown, remove = false): unknown {
  if (path.length === 0) return value;
  const parent = at(x, path.slice(0, -1)) as Json;
  const key = path.at(-1)!;
  if (remove) delete parent[key as string];
  else parent[key as string] = value;
  return x;
}

const jsonMutation = fc.oneof(
  fc.record({ op: fc.constant('replace' as const), pick: fc.nat(), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({
    op: fc.constant('add' as const),
    pick: fc.nat(),
    key: fc.string({ maxLength: 12 }),
    value: fc.jsonValue({ maxDepth: 1 }),
  }),
  fc.record({ op: fc.constant('swap' as const), pick: fc.nat(), other: fc.nat() }),
);

type JsonMutation = typeof jsonMutation extends fc.Arbitrary<infer T> ? T : never;

function mutateJson(input: unknown, m: JsonMutation): unknown {
  const x = clone(input);
  const all = paths(x);
  const p = all[m.pick % all.length]!;
  switch (m.op) {
    case 'replace':
      return set(x, p, m.value);
    case 'delete':
      return set(x, p, undefined, p.length > 0);
    case 'add': {
      const target = at(x, p);
      if (typeof target === 'object' && target !== null && !Array.isArray(target))
        (target as Json)[m.key] = m.value;
      return x;
    }
    case 'swap': {
      const q = all[m.other % all.length]!;
      const [a, b] = [clone(at(x, p)), clone(at(x, q))];
      if (
        p.length === 0 ||
        q.length === 0 ||
        p.join('\0').startsWith(q.join('\0')) ||
        q.join('\0').startsWith(p.join('\0'))
      )
        return x;
      set(x, p, b);
      return set(x, q, a);
    }
  }
}

describe('validateNotice', () => {
  it('any JSON value is refused with a code (or is a valid notice)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (v) => {
        await outcome(v);
      }),
      fuzzParams(1000),
    );
  });

  it('valid notices with fields deleted, replaced, added or swapped: refused with a code, or valid', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: examples.length - 1 }),
        fc.array(jsonMutation, { minLength: 1, maxLength: 3 }),
        async (i, ms) => {
          await outcome(ms.reduce<unknown>(mutateJson, examples[i]));
        },
      ),
      fuzzParams(1000),
    );
  });

  it('mutated JSON text, when it still parses: refused with a code, or valid', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: examples.length - 1 }), byteMutations, async (i, ms) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(mutateText(JSON.stringify(examples[i]), ms));
        } catch {
          return;
        }
        await outcome(parsed);
      }),
      fuzzParams(1000),
    );
  });

  it('adversarial free text for the screening patterns is screened quickly', async () => {
    // Pumped strings (one piece many times, then a character that breaks the match) find
    // patterns that backtrack super-linearly; mixtures find the rest.
    const piece = fc.constantFrom(
      'a',
      'a.',
      '1',
      '1.',
      '+0 ',
      '0 ',
      '00',
      'a@',
      'a@a.',
      '1.1.',
      'AB12345',
      '2024-01-01 ',
      'DE89 ',
      '12/12/',
      ' ',
      'é',
    );
    const pumped = fc
      .tuple(piece, fc.integer({ min: 1, max: 4000 }), fc.constantFrom('', '!', ' ', '@', '.', '1'))
      .map(([p, n, end]) => p.repeat(n).slice(0, 7900) + end);
    const mixed = fc.array(piece, { minLength: 1, maxLength: 2000 }).map((p) => p.join('').slice(0, 7900));
    const text = fc.oneof(pumped, mixed).map((t) => t.trim() || 'x');
    const threat = examples.find((e) => e.kind === 'threat-notice')!;
    await fc.assert(
      fc.asyncProperty(text, async (assessment) => {
        const started = performance.now();
        await outcome({ ...threat, body: { ...(threat.body as Json), assessment } });
        expect(performance.now() - started).toBeLessThan(1000);
      }),
      fuzzParams(60),
    );
  });
});
