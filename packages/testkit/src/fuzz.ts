import { createContext, Script } from 'node:vm';
import { isLiaisonError } from '@liaison/core';
import fc from 'fast-check';

// Shared by the decoder fuzz tests of every package (docs/wire-format.md, "Fuzzing the
// decoders"): how long a campaign runs, how valid inputs are mutated, and how an
// outcome is classified. fast-check prints the seed and the shrunk counterexample of
// a failing property; `LIAISON_FUZZ_SEED` replays it.

/**
 * fast-check parameters for a property whose CI run is `numRuns` inputs. A longer
 * campaign multiplies them: `LIAISON_FUZZ_RUNS=50 pnpm vitest run <fuzz files>`.
 * `LIAISON_FUZZ_SEED` (with `LIAISON_FUZZ_PATH`) replays a reported failure.
 */
export function fuzzParams(numRuns: number): fc.Parameters<unknown> {
  const factor = Number(process.env.LIAISON_FUZZ_RUNS ?? '1');
  const seed = process.env.LIAISON_FUZZ_SEED;
  const path = process.env.LIAISON_FUZZ_PATH;
  return {
    numRuns: Math.max(1, Math.round(numRuns * (Number.isFinite(factor) && factor > 0 ? factor : 1))),
    ...(seed === undefined ? {} : { seed: Number(seed) }),
    ...(path === undefined ? {} : { path }),
  };
}

/** One change to a byte string; printed by fast-check as data, so a failure reads as the input. */
export type ByteMutation =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'set'; at: number; value: number }
  | { op: 'truncate'; at: number }
  | { op: 'extend'; bytes: Uint8Array }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; count: number }
  | { op: 'duplicate'; at: number; count: number };

const position = fc.nat({ max: 1 << 20 });
const someBytes = fc.uint8Array({ minLength: 1, maxLength: 16 });

export const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: position, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('set' as const), at: position, value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: position }),
  fc.record({ op: fc.constant('extend' as const), bytes: someBytes }),
  fc.record({ op: fc.constant('insert' as const), at: position, bytes: someBytes }),
  fc.record({ op: fc.constant('delete' as const), at: position, count: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ op: fc.constant('duplicate' as const), at: position, count: fc.integer({ min: 1, max: 16 }) }),
);

/** One to three mutations: a single change is the common case, a few catch length fix-ups. */
export const byteMutations: fc.Arbitrary<ByteMutation[]> = fc.array(byteMutation, {
  minLength: 1,
  maxLength: 3,
});

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Applies a mutation (positions wrap around the input); the input is not changed. */
export function mutateBytes(input: Uint8Array, m: ByteMutation): Uint8Array {
  const n = input.length;
  const at = n === 0 ? 0 : 'at' in m ? m.at % n : 0;
  switch (m.op) {
    case 'flip': {
      const out = input.slice();
      if (n > 0) out[at] = (out[at] ?? 0) ^ (1 << m.bit);
      return out;
    }
    case 'set': {
      const out = input.slice();
      if (n > 0) out[at] = m.value;
      return out;
    }
    case 'truncate':
      return input.slice(0, at);
    case 'extend':
      return concat(input, m.bytes);
    case 'insert':
      return concat(input.subarray(0, at), m.bytes, input.subarray(at));
    case 'delete':
      return concat(input.subarray(0, at), input.subarray(at + m.count));
    case 'duplicate':
      return concat(input.subarray(0, at + m.count), input.subarray(at));
  }
}

export function mutateAll(input: Uint8Array, ms: readonly ByteMutation[]): Uint8Array {
  return ms.reduce(mutateBytes, input);
}

/** The same mutations on the UTF-8 bytes of a string (a JWS, a JSON text). */
export function mutateText(input: string, ms: readonly ByteMutation[]): string {
  return new TextDecoder().decode(mutateAll(new TextEncoder().encode(input), ms));
}

export const bytesEqual = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * What a decoder did with an input: `ACCEPTED`, the code of the LiaisonError it threw,
 * or `CRASH …` for anything else (a TypeError, a RangeError, a protobuf error): a
 * crash is always a bug at the decoder.
 */
export async function outcomeOf(run: () => unknown): Promise<string> {
  try {
    await run();
    return 'ACCEPTED';
  } catch (err) {
    if (isLiaisonError(err)) return err.code;
    return `CRASH ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
  }
}

export const isCrash = (outcome: string): boolean => outcome.startsWith('CRASH');

const sandbox = createContext({ run: (): unknown => undefined });
const call = new Script('run()');

/**
 * Runs a synchronous decoder with a deadline that interrupts it (vm's watchdog stops
 * even a backtracking regular expression, which no timer can): a hang becomes an error
 * ("Script execution timed out") that fast-check reports with its input.
 */
export function withinMs<T>(ms: number, run: () => T): T {
  sandbox.run = run;
  return call.runInContext(sandbox, { timeout: ms }) as T;
}
