import { randomBytes } from 'node:crypto';
import { createLogger } from '@liaison/core';
import { type RunningStation, runStation } from '@liaison/station';
import type { Sandbox } from './sandbox.js';

/** The agency whose station the demo runs. */
export const DEMO_STATION_AGENCY = 'de-bka';

export interface DemoStation {
  running: RunningStation;
  /** Generated for this run only; printed once. */
  logins: { username: string; role: 'admin' | 'officer' | 'supervisor' | 'dpo'; password: string }[];
}

/**
 * Starts de-bka's station on a free loopback port, as `services/station` would at the
 * agency's site: its keys from the demo's key home, its database under
 * `<home>/station/`, the feed replayed through the gate from `since` (so the demo's
 * notices, already read by the demo, are in its inbox), and one account per role with
 * a password made for this run.
 */
export async function startDemoStation(sandbox: Sandbox, since: number): Promise<DemoStation> {
  const password = () => randomBytes(12).toString('base64url');
  const admin = { username: 'admin', role: 'admin' as const, password: password() };
  const running = await runStation(
    {
      agency: DEMO_STATION_AGENCY,
      home: sandbox.home,
      connection: sandbox.connectionConfig(DEMO_STATION_AGENCY),
      port: 0,
      replaySince: since,
      bootstrapAdmin: {
        username: admin.username,
        displayName: 'Station administrator',
        password: admin.password,
      },
    },
    { logger: createLogger('station', { level: 'warn' }) },
  );
  const logins: DemoStation['logins'] = [admin];
  const first = running.station.officers.list()[0]!;
  for (const [username, displayName, role] of [
    ['anna.schmidt', 'Anna Schmidt', 'officer'],
    ['jonas.weber', 'Jonas Weber', 'supervisor'],
    ['dora.privat', 'Dora Privat', 'dpo'],
  ] as const) {
    const login = { username, role, password: password() };
    await running.station.createOfficer(first, { username, displayName, role, password: login.password });
    logins.push(login);
  }
  return { running, logins };
}
