import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type Logger } from '@liaison/core';
import { type AgencyKeys, generateAgencyKeys, uuidv7 } from '@liaison/envelope';
import { exampleNotices } from '@liaison/fixtures';
import type { Markings, NoticeKind } from '@liaison/notice';
import { type Db, openDb, Station, type StoredNotice } from '@liaison/station';

/** A cheap scrypt for tests (the default costs 32 MiB and ~100 ms per hash). */
export const TEST_COST = { N: 2 ** 10, r: 8, p: 1 };

export function tempDir(): { dir: string; [Symbol.dispose](): void } {
  const dir = mkdtempSync(join(tmpdir(), 'liaison-station-'));
  return { dir, [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }) };
}

export const keysFor = (agency: string): Promise<AgencyKeys> =>
  generateAgencyKeys(agency, { notBefore: Date.now() - 60_000 });

/** A delivery as the SDK would have opened it, from the fixtures' example notices. */
export function storedNotice(
  which: 'borderAlert' | 'passengerDataHit' | 'threatNotice',
  over: { sender?: string; markings?: Partial<Markings>; body?: Record<string, unknown> } = {},
): StoredNotice {
  const n = exampleNotices()[which];
  return {
    noticeId: uuidv7(),
    sender: over.sender ?? 'at-bmi',
    kind: n.kind as NoticeKind,
    schemaVersion: 1,
    createdAt: new Date().toISOString(),
    level: 'operational',
    layers: ['strategic', 'operational'],
    markings: { ...(n.markings as Markings), ...over.markings },
    body: { ...(n.body as Record<string, unknown>), ...over.body },
    provenance: {
      gateId: 'liaison-gate',
      gateKeyId: 'k'.repeat(43),
      policyRevision: '7',
      grantedAt: new Date().toISOString(),
      grantedLayers: ['strategic', 'operational'],
      headerSha256: 'ab'.repeat(32),
      screeningOverrides: [],
    },
  };
}

export async function testStation(
  o: { db?: Db; keys?: AgencyKeys; logger?: Logger; lockout?: { maxFailures: number; lockMs: number } } = {},
) {
  const keys = o.keys ?? (await keysFor('de-bka'));
  const db = o.db ?? openDb(':memory:');
  const station = await Station.open({
    db,
    keys,
    logger: o.logger ?? createLogger('station-test', { level: 'silent' }),
    passwordCost: TEST_COST,
    ...(o.lockout ? { lockout: o.lockout } : {}),
  });
  return { station, db, keys };
}

/** Makes the four kinds of account; every password is `<username>-password-1`. */
export async function withOfficers(station: Station) {
  const admin = (await station.bootstrapAdmin({
    username: 'admin',
    displayName: 'Station Admin',
    password: 'admin-password-1',
  }))!;
  const make = (username: string, displayName: string, role: 'officer' | 'supervisor' | 'dpo') =>
    station.createOfficer(admin, { username, displayName, role, password: `${username}-password-1` });
  return {
    admin,
    officer: await make('anna.schmidt', 'Anna Schmidt', 'officer'),
    supervisor: await make('jonas.weber', 'Jonas Weber', 'supervisor'),
    dpo: await make('dora.privat', 'Dora Privat', 'dpo'),
  };
}
