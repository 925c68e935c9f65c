// The gate's plans a station at a site keeps in its database: usable for their age,
// bounded, and still there after a restart (an outage that outlasts the process).
import { join } from 'node:path';
import { openDb, StoredPlanCache } from '@liaison/station';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

describe('the stored plan cache', () => {
  it('answers with a plan within its age, and survives a restart of the station', () => {
    using tmp = tempDir();
    const file = join(tmp.dir, 'station.db');
    const db = openDb(file);
    const cache = new StoredPlanCache(db, 60_000);
    cache.set('request-a', { statement: 'jws-a', at: Date.now() });
    cache.set('request-old', { statement: 'jws-old', at: Date.now() - 120_000 });
    expect(cache.get('request-a')).toEqual({ statement: 'jws-a', at: expect.any(Number) });
    expect(cache.get('request-old')).toBeUndefined();
    expect(cache.get('request-none')).toBeUndefined();
    db.close();
    const again = openDb(file);
    expect(new StoredPlanCache(again, 60_000).get('request-a')?.statement).toBe('jws-a');
    again.close();
  });

  it('keeps the newest plans only', () => {
    const cache = new StoredPlanCache(openDb(':memory:'), 60_000, 2);
    const now = Date.now();
    cache.set('one', { statement: '1', at: now - 3 });
    cache.set('two', { statement: '2', at: now - 2 });
    cache.set('three', { statement: '3', at: now - 1 });
    expect([cache.get('one'), cache.get('two')?.statement, cache.get('three')?.statement]).toEqual([
      undefined,
      '2',
      '3',
    ]);
  });
});
