import { describe, expect, it } from 'vitest';
import { covers } from './subject-match.js';

describe('NATS subject matching (the checker the permission tests rely on)', () => {
  it.each([
    ['a.b.c', 'a.b.c', true],
    ['a.*.c', 'a.b.c', true],
    ['a.*.c', 'a.*.c', true],
    ['a.>', 'a.b.c', true],
    ['a.>', 'a.>', true],
    ['a.>', 'a', false],
    ['a.*', 'a.b.c', false],
    ['a.b', 'a.*', false],
    ['a.*', 'a.>', false],
    ['a.b.c', 'a.b', false],
  ])('%s covers %s: %s', (pattern, subject, expected) => {
    expect(covers(pattern, subject)).toBe(expected);
  });
});
