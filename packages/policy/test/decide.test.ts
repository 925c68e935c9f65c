import { describe, expect, it } from 'vitest';
import { decide, decideAll, explain, REASON_CODES, type ReasonCode } from '../src/index.js';
import { facts, NOW, policyWorld, T1, T2 } from './world.js';

const { snapshot: s } = await policyWorld();
const open = { recipients: [], allow: [], deny: [] };

/** A registry forced past its integrity checks: a "member-state authority" of a third country. */
const forged = {
  ...s,
  agencies: new Map(s.agencies).set('tr-forged', {
    id: 'tr-forged',
    name: 'Forged member-state authority',
    country: 'TR',
    kind: 'member-state-authority' as const,
    roles: ['subscriber' as const],
  }),
  keys: new Map(s.keys).set(
    'tr-forged',
    s.keys.get('de-bka')!.map((k) => ({ ...k, agency: 'tr-forged' })),
  ),
};
const snapshotFor = (recipient: string) => (recipient === 'tr-forged' ? forged : s);

const NOW_MS = NOW;
const pnr = { kind: 'passenger-data-hit' as const, sources: ['pnr' as const, 'api' as const] };
const justified = {
  recipient: 'us-cbp',
  ground: 'serious-crime',
  dpoNotifiedAt: NOW_MS - 60_000,
  dpoReference: 'NL-PIU-DPO-2026-77',
};

const both = ['strategic', 'operational'];

/**
 * A reply by at-bmi to a Finnish border alert given to de-bka and at-bmi: H2 or not, with
 * the original's audience denying someone, without the original's strategic opt-in, or
 * with the provider's grant for some recipients.
 */
function reply(o: {
  h2?: boolean;
  deny?: string[];
  noOptIn?: boolean;
  grant?: string[];
  kind?: 'threat-notice';
  originLayers?: ('strategic' | 'operational')[];
}): Parameters<typeof facts>[0] {
  const origin = facts({
    sender: 'fi-raja',
    handlingCode: o.h2 ? 'H2' : 'H0',
    audience: { recipients: [], allow: [], deny: o.deny ?? [] },
    ...(o.noOptIn ? { strategicOptIn: false } : {}),
    ...(o.originLayers ? { layers: o.originLayers } : {}),
  });
  return {
    handlingCode: o.h2 ? 'H2' : 'H0',
    ...(o.kind ? { kind: o.kind } : {}),
    origin: {
      noticeId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
      relation: 'forward',
      facts: origin,
      recipients: ['de-bka', 'at-bmi'],
      ...(o.grant
        ? {
            permission: {
              noticeId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c',
              provider: 'fi-raja',
              grantee: 'at-bmi',
              recipients: o.grant,
            },
          }
        : {}),
    },
  };
}

type Row = [
  string,
  Parameters<typeof facts>[0],
  string,
  number,
  'operational' | 'strategic' | 'none',
  string[],
  ReasonCode,
];
const rows: Row[] = [
  ['member state', {}, 'de-bka', NOW, 'operational', ['strategic', 'operational'], 'COMMUNITY_MEMBER'],
  ['EU agency', {}, 'eu-europol', NOW, 'operational', ['strategic', 'operational'], 'COMMUNITY_MEMBER'],
  [
    'operational partner',
    {},
    'us-cbp',
    NOW,
    'operational',
    ['strategic', 'operational'],
    'AGREEMENT_OPERATIONAL',
  ],
  ['strategic partner', {}, 'ru-mvd', NOW, 'strategic', ['strategic'], 'AGREEMENT_STRATEGIC'],
  ['no agreement', {}, 'cn-mps', NOW, 'none', [], 'NO_AGREEMENT'],
  ['agreement level none', {}, 'xk-none', NOW, 'none', [], 'AGREEMENT_NONE'],
  ['ended agreement', {}, 'no-kripos', NOW, 'none', [], 'AGREEMENT_EXPIRED'],
  [
    'ended agreement, notice from before the end',
    { createdAt: T1 - 1 },
    'no-kripos',
    NOW,
    'operational',
    ['strategic', 'operational'],
    'AGREEMENT_OPERATIONAL',
  ],
  [
    'ended agreement, notice at the exact end',
    { createdAt: T1 },
    'no-kripos',
    NOW,
    'none',
    [],
    'AGREEMENT_EXPIRED',
  ],
  [
    'agreement not yet in force at the notice time',
    { createdAt: T2 - 1 },
    'is-police',
    NOW,
    'none',
    [],
    'AGREEMENT_NOT_YET_VALID',
  ],
  [
    'future agreement at its first instant',
    { createdAt: T2 },
    'is-police',
    NOW,
    'strategic',
    ['strategic'],
    'AGREEMENT_STRATEGIC',
  ],
  [
    'time-limited at validFrom',
    { createdAt: T1 },
    'jp-npa',
    NOW,
    'operational',
    ['strategic', 'operational'],
    'AGREEMENT_OPERATIONAL',
  ],
  [
    'time-limited a ms before validFrom',
    { createdAt: T1 - 1 },
    'jp-npa',
    NOW,
    'none',
    [],
    'AGREEMENT_NOT_YET_VALID',
  ],
  [
    'time-limited a ms before validTo',
    { createdAt: T2 - 1 },
    'jp-npa',
    NOW,
    'operational',
    ['strategic', 'operational'],
    'AGREEMENT_OPERATIONAL',
  ],
  ['time-limited at validTo', { createdAt: T2 }, 'jp-npa', NOW, 'none', [], 'AGREEMENT_EXPIRED'],
  [
    'in crime-area scope',
    {},
    'ch-fedpol',
    NOW,
    'operational',
    ['strategic', 'operational'],
    'AGREEMENT_OPERATIONAL',
  ],
  [
    'partly out of scope',
    { crimeAreas: ['drug-trafficking', 'terrorism'] },
    'ch-fedpol',
    NOW,
    'none',
    [],
    'OUT_OF_CRIME_AREA_SCOPE',
  ],
  [
    'not named',
    { audience: { ...open, recipients: ['de-bka'] } },
    'us-cbp',
    NOW,
    'none',
    [],
    'NOT_IN_AUDIENCE',
  ],
  [
    'named',
    { audience: { ...open, recipients: ['us-cbp'] } },
    'us-cbp',
    NOW,
    'operational',
    ['strategic', 'operational'],
    'AGREEMENT_OPERATIONAL',
  ],
  [
    'allow list by country',
    { audience: { ...open, allow: ['country:DE'] } },
    'us-cbp',
    NOW,
    'none',
    [],
    'NOT_IN_AUDIENCE',
  ],
  [
    'allow list by kind',
    { audience: { ...open, allow: ['kind:eu-agency'] } },
    'eu-frontex',
    NOW,
    'operational',
    ['strategic', 'operational'],
    'COMMUNITY_MEMBER',
  ],
  [
    'denied by id',
    { audience: { ...open, deny: ['ru-mvd'] } },
    'ru-mvd',
    NOW,
    'none',
    [],
    'DENIED_BY_SENDER',
  ],
  [
    'deny beats named',
    { audience: { ...open, recipients: ['us-cbp'], deny: ['country:US'] } },
    'us-cbp',
    NOW,
    'none',
    [],
    'DENIED_BY_SENDER',
  ],
  ['TLP:RED unnamed', { tlp: 'TLP:RED' }, 'de-bka', NOW, 'none', [], 'TLP_NAMED_RECIPIENTS_ONLY'],
  [
    'TLP:AMBER+STRICT unnamed',
    { tlp: 'TLP:AMBER+STRICT' },
    'de-bka',
    NOW,
    'none',
    [],
    'TLP_NAMED_RECIPIENTS_ONLY',
  ],
  [
    'TLP:RED named',
    { tlp: 'TLP:RED', audience: { ...open, recipients: ['de-bka'] } },
    'de-bka',
    NOW,
    'operational',
    ['strategic', 'operational'],
    'COMMUNITY_MEMBER',
  ],
  ['TLP:AMBER open', { tlp: 'TLP:AMBER' }, 'ru-mvd', NOW, 'strategic', ['strategic'], 'AGREEMENT_STRATEGIC'],
  ['revoked encryption key', {}, 'ca-cbsa', NOW, 'none', [], 'KEY_REVOKED'],
  [
    'revoked key, decided before revocation',
    { createdAt: T1 - 10 },
    'ca-cbsa',
    T1 - 1,
    'operational',
    ['strategic', 'operational'],
    'AGREEMENT_OPERATIONAL',
  ],
  ['no key at all', {}, 'de-nokey', NOW, 'none', [], 'NO_VALID_KEY'],
  [
    'personal only, strategic partner',
    { layers: ['operational'] },
    'ru-mvd',
    NOW,
    'none',
    [],
    'NO_NON_PERSONAL_CONTENT',
  ],
  [
    'personal only, operational partner',
    { layers: ['operational'] },
    'us-cbp',
    NOW,
    'operational',
    ['operational'],
    'AGREEMENT_OPERATIONAL',
  ],
  [
    'threat notice to operational partner',
    { kind: 'threat-notice', layers: ['strategic'] },
    'us-cbp',
    NOW,
    'operational',
    ['strategic'],
    'AGREEMENT_OPERATIONAL',
  ],
  ['expired notice', { expiresAt: NOW }, 'de-bka', NOW, 'none', [], 'NOTICE_EXPIRED'],
  [
    'not yet expired',
    { expiresAt: NOW + 1 },
    'de-bka',
    NOW,
    'operational',
    ['strategic', 'operational'],
    'COMMUNITY_MEMBER',
  ],
  ['unknown recipient', {}, 'zz-nobody', NOW, 'none', [], 'UNKNOWN_RECIPIENT'],
  ['auditor', {}, 'eu-auditor', NOW, 'none', [], 'NOT_A_SUBSCRIBER'],
  ['the sender itself', {}, 'at-bmi', NOW, 'none', [], 'SENDER_ITSELF'],
  ['sender without publisher role', { sender: 'ru-mvd' }, 'de-bka', NOW, 'none', [], 'SENDER_NOT_PUBLISHER'],
  // Kind rules: person-centred kinds reach strategic partners only with the sender's opt-in.
  ['border alert, no opt-in', { strategicOptIn: false }, 'ru-mvd', NOW, 'none', [], 'KIND_NOT_STRATEGIC'],
  ['border alert, opt-in', {}, 'ru-mvd', NOW, 'strategic', ['strategic'], 'STRATEGIC_OPT_IN'],
  [
    'border alert, no opt-in, operational partner',
    { strategicOptIn: false },
    'us-cbp',
    NOW,
    'operational',
    ['strategic', 'operational'],
    'AGREEMENT_OPERATIONAL',
  ],
  [
    'PNR hit, no opt-in',
    { kind: 'passenger-data-hit', strategicOptIn: false },
    'ru-mvd',
    NOW,
    'none',
    [],
    'KIND_NOT_STRATEGIC',
  ],
  [
    'threat notice needs no opt-in',
    { kind: 'threat-notice', strategicOptIn: false, layers: ['strategic'] },
    'ru-mvd',
    NOW,
    'strategic',
    ['strategic'],
    'AGREEMENT_STRATEGIC',
  ],
  // SIS (Reg. 2018/1862 Art. 65): never to a third party, at any level.
  ['SIS, operational partner', { sources: ['sis'] }, 'us-cbp', NOW, 'none', [], 'SIS_NO_THIRD_PARTY'],
  ['SIS, strategic partner', { sources: ['sis'] }, 'ru-mvd', NOW, 'none', [], 'SIS_NO_THIRD_PARTY'],
  [
    'SIS, named third party',
    { sources: ['sis'], audience: { ...open, recipients: ['us-cbp'] } },
    'us-cbp',
    NOW,
    'none',
    [],
    'SIS_NO_THIRD_PARTY',
  ],
  [
    'SIS, member state',
    { sources: ['sis'] },
    'de-bka',
    NOW,
    'operational',
    ['strategic', 'operational'],
    'COMMUNITY_MEMBER',
  ],
  [
    'SIS, EU agency',
    { sources: ['sis'] },
    'eu-europol',
    NOW,
    'operational',
    ['strategic', 'operational'],
    'COMMUNITY_MEMBER',
  ],
  // PNR (Directive 2016/681 Art. 11): third countries case by case, justified per recipient.
  ['PNR, no justification', pnr, 'us-cbp', NOW, 'none', [], 'PNR_TRANSFER_NOT_JUSTIFIED'],
  [
    'PNR, justification for another recipient',
    { ...pnr, audience: { ...open, pnrTransfers: [{ ...justified, recipient: 'ca-cbsa' }] } },
    'us-cbp',
    NOW,
    'none',
    [],
    'PNR_TRANSFER_NOT_JUSTIFIED',
  ],
  [
    'PNR, ground not terrorism or serious crime',
    { ...pnr, audience: { ...open, pnrTransfers: [{ ...justified, ground: 'petty-theft' }] } },
    'us-cbp',
    NOW,
    'none',
    [],
    'PNR_TRANSFER_NOT_JUSTIFIED',
  ],
  [
    "PNR from another member state's PIU, no consent",
    { ...pnr, audience: { ...open, pnrTransfers: [{ ...justified, originPiu: 'fi-piu' }] } },
    'us-cbp',
    NOW,
    'none',
    [],
    'PNR_CONSENT_MISSING',
  ],
  [
    'PNR, DPO not informed',
    { ...pnr, audience: { ...open, pnrTransfers: [{ ...justified, dpoNotifiedAt: 0 }] } },
    'us-cbp',
    NOW,
    'none',
    [],
    'PNR_DPO_NOT_INFORMED',
  ],
  [
    'PNR, DPO informed only after the notice',
    { ...pnr, audience: { ...open, pnrTransfers: [{ ...justified, dpoNotifiedAt: NOW_MS + 1 }] } },
    'us-cbp',
    NOW,
    'none',
    [],
    'PNR_DPO_NOT_INFORMED',
  ],
  [
    'PNR, justified, with the origin PIU consent',
    {
      ...pnr,
      audience: {
        ...open,
        pnrTransfers: [{ ...justified, originPiu: 'fi-piu', consentReference: 'FI-PIU-C-2026-4' }],
      },
    },
    'us-cbp',
    NOW,
    'operational',
    ['strategic', 'operational'],
    'PNR_TRANSFER_JUSTIFIED',
  ],
  ['PNR, member state', pnr, 'de-bka', NOW, 'operational', ['strategic', 'operational'], 'COMMUNITY_MEMBER'],
  // Classification: the recipient must be cleared for it.
  ['RESTREINT UE, not cleared', { classification: 'RESTREINT-UE' }, 'de-bka', NOW, 'none', [], 'NOT_CLEARED'],
  [
    'CONFIDENTIEL UE, cleared',
    { classification: 'CONFIDENTIEL-UE' },
    'fr-dgsi',
    NOW,
    'operational',
    ['strategic', 'operational'],
    'COMMUNITY_MEMBER',
  ],
  ['SECRET UE, cleared lower', { classification: 'SECRET-UE' }, 'fr-dgsi', NOW, 'none', [], 'NOT_CLEARED'],
  // A registry forced past its integrity checks does not widen anything.
  ['forged member-state authority', {}, 'tr-forged', NOW, 'none', [], 'NOT_A_COMMUNITY_MEMBER'],
  // An erasure request (no layers) reaches each named recipient of the original whatever
  // its agreement is now — here one with no agreement — and nobody else.
  [
    'erasure request, named',
    { amendment: 'erasure-request', layers: [], audience: { ...open, recipients: ['cn-mps'] } },
    'cn-mps',
    NOW,
    'strategic',
    [],
    'ERASURE_REQUEST',
  ],
  [
    'erasure request, not named',
    { amendment: 'erasure-request', layers: [], audience: { ...open, recipients: ['cn-mps'] } },
    'de-bka',
    NOW,
    'none',
    [],
    'NOT_IN_AUDIENCE',
  ],
  // Replies and forwards (a Finnish alert, given to de-bka and at-bmi; at-bmi answers or forwards it).
  ['reply to the provider', reply({}), 'fi-raja', NOW, 'operational', both, 'ORIGIN_PROVIDER'],
  ['reply to an original recipient', reply({}), 'de-bka', NOW, 'operational', both, 'ORIGIN_RECIPIENT'],
  ['H0 forward to a new member state', reply({}), 'nl-piu', NOW, 'operational', both, 'ONWARD_ALLOWED'],
  [
    'H2 forward without permission',
    reply({ h2: true }),
    'us-cbp',
    NOW,
    'none',
    [],
    'ONWARD_NEEDS_PERMISSION',
  ],
  [
    'H2 forward with permission',
    reply({ h2: true, grant: ['us-cbp'] }),
    'us-cbp',
    NOW,
    'operational',
    both,
    'ONWARD_PERMITTED',
  ],
  [
    'forward to one the original denied',
    reply({ deny: ['us-cbp'] }),
    'us-cbp',
    NOW,
    'none',
    [],
    'EXCLUDED_BY_ORIGIN',
  ],
  [
    'forward above what the original allowed',
    reply({ noOptIn: true, kind: 'threat-notice' }),
    'ru-mvd',
    NOW,
    'none',
    [],
    'EXCLUDED_BY_ORIGIN',
  ],
];

describe('decide', () => {
  it.each(rows)('%s', (_name, f, recipient, at, level, layers, reason) => {
    const d = decide(facts(f), recipient, snapshotFor(recipient), at);
    expect(d.level).toBe(level);
    expect(d.layers).toEqual(layers);
    expect(d.reasons).toContain(reason);
    expect(d.revision).toBe(s.revision);
    if (level !== 'none') expect(d.legalBasis).toBeTruthy();
  });

  it('caps a reply at what the original allowed (CAPPED_BY_ORIGIN)', () => {
    // Russia's agreement is raised to operational after the original was sent (at T1).
    const ru = s.agreements.get('RU') ?? [];
    const raised = { partner: 'RU', level: 'operational' as const, validFrom: T2, legalBasis: 'raised' };
    const later = {
      ...s,
      agreements: new Map(s.agreements).set('RU', [...ru, raised as (typeof ru)[number]]),
    };
    const f = reply({})!;
    f.origin!.facts = { ...f.origin!.facts, createdAt: T1 };
    const d = decide(facts(f), 'ru-mvd', later, NOW);
    expect(d.level).toBe('strategic');
    expect(d.layers).toEqual(['strategic']);
    expect(d.reasons).toContain('CAPPED_BY_ORIGIN');
    // Without the provenance, the same notice would go operational.
    expect(decide(facts({ handlingCode: 'H0' }), 'ru-mvd', later, NOW).level).toBe('operational');
  });

  it('covers every reason code in the table', () => {
    const seen = new Set<ReasonCode>([...rows.map((r) => r[6]), 'CAPPED_BY_ORIGIN']);
    expect(REASON_CODES.filter((c) => !seen.has(c))).toEqual([]);
  });

  it.each(['H0', 'H1', 'H2', 'H3'] as const)(
    'handling code %s never widens the agreement',
    (handlingCode) => {
      for (const [recipient, max] of [
        ['us-cbp', 'operational'],
        ['ru-mvd', 'strategic'],
        ['cn-mps', 'none'],
      ] as const) {
        expect(decide(facts({ handlingCode }), recipient, s, NOW).level).toBe(max);
      }
    },
  );

  it('explains a decision in a sentence', () => {
    const text = explain(decide(facts({ kind: 'threat-notice', layers: ['strategic'] }), 'ru-mvd', s, NOW));
    expect(text).toBe(
      `ru-mvd may receive the non-personal layer only (strategic) (legal basis: Strategic agreement: non-personal data only), under registry revision ${s.revision}, because it has a strategic agreement in force at the notice time (non-personal data only).`,
    );
    const noPersonal = facts({ kind: 'threat-notice', layers: ['strategic'], personalData: false });
    expect(explain(decide(noPersonal, 'us-cbp', s, NOW), noPersonal)).toContain(
      'may receive the whole notice, which holds no personal data',
    );
    expect(explain(decide(facts(), 'us-cbp', s, NOW), facts({ personalData: true }))).toContain(
      'personal data included',
    );
    expect(explain(decide(facts({ audience: { ...open, deny: ['ru-mvd'] } }), 'ru-mvd', s, NOW))).toContain(
      'was excluded by the sender',
    );
  });

  it('plans every agency of the registry', () => {
    const plan = decideAll(facts(), s, NOW);
    expect(plan.map((d) => d.recipient)).toContain('us-cbp');
    expect(plan.find((d) => d.recipient === 'cn-mps')?.level).toBe('none');
  });
});
