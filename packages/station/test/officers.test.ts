import { hashPassword, verifyPassword } from '@liaison/station';
import { describe, expect, it } from 'vitest';
import { TEST_COST, testStation, withOfficers } from './helpers.js';

describe('officers', () => {
  it('hashes with scrypt: salted, parameters kept, verified in constant time', async () => {
    const a = await hashPassword('correct horse battery', TEST_COST);
    const b = await hashPassword('correct horse battery', TEST_COST);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterz', a)).toBe(false);
    expect(await verifyPassword('x', 'md5$abc')).toBe(false);
  });

  it('creates accounts only by an administrator, the first one only once', async () => {
    const { station } = await testStation();
    const { admin, officer } = await withOfficers(station);
    expect(
      await station.bootstrapAdmin({ username: 'admin2', displayName: 'x', password: 'long-enough-pass' }),
    ).toBeUndefined();
    await expect(
      station.createOfficer(officer, {
        username: 'eve.x',
        displayName: 'Eve',
        role: 'admin',
        password: 'long-enough-pass',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      station.createOfficer(admin, {
        username: 'anna.schmidt',
        displayName: 'A',
        role: 'officer',
        password: 'long-enough-pass',
      }),
    ).rejects.toMatchObject({ code: 'OFFICER_EXISTS' });
    await expect(
      station.createOfficer(admin, {
        username: 'bob.y',
        displayName: 'B',
        role: 'officer',
        password: 'short',
      }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      issues: [expect.objectContaining({ path: ['password'] })],
    });
  });

  it('locks an account after repeated failures, even against the right password, until unlocked', async () => {
    const { station } = await testStation({ lockout: { maxFailures: 3, lockMs: 60_000 } });
    const { admin } = await withOfficers(station);
    for (let i = 0; i < 2; i++)
      await expect(station.officers.authenticate('anna.schmidt', 'wrong')).rejects.toMatchObject({
        code: 'BAD_CREDENTIALS',
      });
    await expect(station.officers.authenticate('anna.schmidt', 'wrong')).rejects.toMatchObject({
      code: 'LOCKED_OUT',
    });
    await expect(
      station.officers.authenticate('anna.schmidt', 'anna.schmidt-password-1'),
    ).rejects.toMatchObject({
      code: 'LOCKED_OUT',
    });
    // the lock ends by itself
    const later = Date.now() + 61_000;
    expect(
      (await station.officers.authenticate('anna.schmidt', 'anna.schmidt-password-1', later)).username,
    ).toBe('anna.schmidt');
    // or the administrator lifts it
    for (let i = 0; i < 3; i++)
      await station.officers.authenticate('anna.schmidt', 'wrong').catch(() => undefined);
    const anna = station.listOfficers(admin).find((o) => o.username === 'anna.schmidt')!;
    station.unlockOfficer(admin, anna.id);
    expect((await station.officers.authenticate('anna.schmidt', 'anna.schmidt-password-1')).id).toBe(anna.id);
    await expect(station.officers.authenticate('nobody', 'x')).rejects.toMatchObject({
      code: 'BAD_CREDENTIALS',
    });
  });

  it('ends sessions when idle, keeps only token hashes', async () => {
    const { station, db } = await testStation();
    const { officer } = await withOfficers(station);
    const t = Date.now();
    const { token } = station.sessions.create(officer.id, t);
    expect(station.sessions.resolve(token, t + 1000)?.officerId).toBe(officer.id);
    const stored = db.prepare('SELECT id_hash FROM sessions').all() as { id_hash: string }[];
    expect(stored.map((s) => s.id_hash)).not.toContain(token);
    expect(station.sessions.resolve(token, t + 31 * 60_000)).toBeUndefined();
    expect(station.sessions.resolve('forged-token')).toBeUndefined();
  });
});
