import { type AgencyKeys, generateAgencyKeys } from '@liaison/envelope';
import { DEMO_AGENCIES, DEMO_AGREEMENTS } from '@liaison/fixtures';
import { Registry, seedDirectory } from '../src/index.js';

export const T0 = Date.parse('2026-01-01T00:00:00Z');

export async function makeAdmins(n = 3) {
  const admins = [];
  for (let i = 1; i <= n; i++) {
    const keys = await generateAgencyKeys(`admin-${i}`, { notBefore: T0 });
    admins.push({ id: `admin-${i}`, key: keys.signing });
  }
  return admins;
}

export async function seededRegistry(options: { agreements?: boolean } = {}) {
  const admins = await makeAdmins();
  const keys = new Map<string, AgencyKeys>();
  for (const a of DEMO_AGENCIES) keys.set(a.id, await generateAgencyKeys(a.id, { notBefore: T0 }));
  const registry = new Registry({ anchors: [admins[0]!.key.record.kid] });
  await seedDirectory(registry, (jws) => registry.apply(jws), {
    origin: 'liaison-test',
    admins,
    agencies: DEMO_AGENCIES,
    keys,
    agreements: options.agreements === false ? [] : DEMO_AGREEMENTS,
    at: T0 + 1000,
  });
  return { registry, admins, keys };
}
