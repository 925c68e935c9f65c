/**
 * Where a notice's content comes from and under which legal instrument it is
 * shared: signed in the header, so that the gate and an auditor apply the source
 * rules without reading content (docs/policy.md, docs/decisions/0007).
 */
export const SOURCES = ['sis', 'pnr', 'api', 'interpol', 'prum', 'national'] as const;
export type Source = (typeof SOURCES)[number];

/** Legal bases a sender may state (tokens, never free text). */
export const LEGAL_BASES = [
  'directive-2023-977',
  'europol-regulation-art-25',
  'pnr-directive-art-9',
  'pnr-directive-art-10',
  'pnr-directive-art-11',
  'sis-regulation-2018-1862',
  'prum-regulation-2024-982',
  'interpol-rpd',
  'national-law',
] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

/**
 * EU classification levels (Council Decision 2013/488/EU), lowest first. National
 * equivalents are written as their EU level (e.g. VS-NUR FÜR DEN DIENSTGEBRAUCH →
 * RESTREINT-UE), by the sender.
 */
export const CLASSIFICATIONS = ['RESTREINT-UE', 'CONFIDENTIEL-UE', 'SECRET-UE', 'TRES-SECRET-UE'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

/** The highest level the exchange is accredited for unless configured otherwise. */
export const DEFAULT_ACCREDITATION: Classification = 'RESTREINT-UE';

/** 0 = unclassified, then 1… in CLASSIFICATIONS order. */
export function classificationRank(c: Classification | undefined): number {
  return c ? CLASSIFICATIONS.indexOf(c) + 1 : 0;
}

const SIS_MENTION = /\b(SIS(?:\s*II)?|SIRENE)\b/;

/**
 * Sources that follow from the content itself, whatever the sender declared: a
 * match against SIS (or a strategic string mentioning SIS / SIRENE: the fact that an
 * SIS alert exists is SIS data), PNR / API from a passenger-data hit's data source,
 * INTERPOL databases. They are added to the declared sources, never removed.
 */
export function derivedSources(kind: string, body: Record<string, unknown>): Source[] {
  const found = new Set<Source>();
  const matched = body.matchedAgainst;
  if (matched === 'SIS') found.add('sis');
  if (typeof matched === 'string' && matched.startsWith('INTERPOL')) found.add('interpol');
  if (kind === 'passenger-data-hit') {
    const ds = String(body.dataSource ?? '');
    if (ds.includes('PNR')) found.add('pnr');
    if (ds.includes('API')) found.add('api');
  }
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      if (SIS_MENTION.test(v)) found.add('sis');
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  for (const [k, v] of Object.entries(body)) if (k !== 'person' && k !== 'passenger') visit(v);
  return [...found];
}
