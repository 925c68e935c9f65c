import type { Agency, Agreement } from './model.js';

/**
 * The demo and test directory, drawn from the real landscape (Europol's
 * cooperation as described in DOMAIN.md). Keys are generated on first run.
 */
export const DEMO_AGENCIES: readonly Agency[] = [
  {
    id: 'at-bmi',
    name: 'Austria — Federal Ministry of the Interior (border police)',
    country: 'AT',
    kind: 'member-state-authority',
    roles: ['publisher', 'subscriber'],
  },
  {
    id: 'de-bpol',
    name: 'Germany — Federal Police (border guard)',
    country: 'DE',
    kind: 'member-state-authority',
    roles: ['publisher', 'subscriber'],
  },
  {
    id: 'de-bka',
    name: 'Germany — Federal Criminal Police Office (police)',
    country: 'DE',
    kind: 'member-state-authority',
    roles: ['publisher', 'subscriber'],
  },
  {
    id: 'fi-raja',
    name: 'Finland — Finnish Border Guard',
    country: 'FI',
    kind: 'member-state-authority',
    roles: ['publisher', 'subscriber'],
  },
  {
    id: 'nl-piu',
    name: 'Netherlands — Passenger Information Unit',
    country: 'NL',
    kind: 'member-state-authority',
    roles: ['publisher', 'subscriber'],
  },
  { id: 'eu-europol', name: 'Europol', country: 'EU', kind: 'eu-agency', roles: ['publisher', 'subscriber'] },
  {
    id: 'eu-frontex',
    name: 'Frontex — European Border and Coast Guard Agency',
    country: 'EU',
    kind: 'eu-agency',
    roles: ['publisher', 'subscriber'],
  },
  {
    id: 'us-cbp',
    name: 'United States — Customs and Border Protection',
    country: 'US',
    kind: 'third-party',
    roles: ['publisher', 'subscriber'],
  },
  {
    id: 'ca-cbsa',
    name: 'Canada — Canada Border Services Agency',
    country: 'CA',
    kind: 'third-party',
    roles: ['publisher', 'subscriber'],
  },
  {
    id: 'ru-mvd',
    name: 'Russia — Ministry of Internal Affairs',
    country: 'RU',
    kind: 'third-party',
    roles: ['subscriber'],
  },
  {
    id: 'cn-mps',
    name: 'China — Ministry of Public Security',
    country: 'CN',
    kind: 'third-party',
    roles: ['subscriber'],
  },
  {
    id: 'in-cbi',
    name: 'India — Central Bureau of Investigation',
    country: 'IN',
    kind: 'third-party',
    roles: ['subscriber'],
  },
  {
    id: 'eu-auditor',
    name: 'Exchange data protection officer',
    country: 'EU',
    kind: 'eu-agency',
    roles: ['auditor'],
  },
];

const FROM = Date.parse('2020-01-01T00:00:00Z');

/** Agreements with partners. China and India have none (negotiations postponed). */
export const DEMO_AGREEMENTS: readonly Agreement[] = [
  {
    partner: 'US',
    level: 'operational',
    validFrom: FROM,
    legalBasis: 'Operational agreement (Europol Regulation art. 25(1)(c))',
  },
  {
    partner: 'CA',
    level: 'operational',
    validFrom: FROM,
    legalBasis: 'Operational agreement (Europol Regulation art. 25(1)(c))',
  },
  {
    partner: 'RU',
    level: 'strategic',
    validFrom: FROM,
    legalBasis: 'Strategic agreement: non-personal data only',
  },
];
