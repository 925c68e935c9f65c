import type { PublicKeyRecord } from '@liaison/envelope';
import { CLASSIFICATIONS, CRIME_AREAS } from '@liaison/notice';
import { z } from 'zod';

/** A NATS-safe single token: lower-case letters and digits, dash-separated. */
export const AgencyIdSchema = z
  .string()
  .max(40)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'an agency id is lower-case letters and digits separated by dashes');

export const AGENCY_KINDS = ['member-state-authority', 'eu-agency', 'third-party', 'service'] as const;
export const ROLES = [
  'publisher',
  'subscriber',
  'auditor',
  'administrator',
  'gate',
  'audit-log',
  'retention',
  /** The deadline service (docs/conversations.md): reads the audit log, reports and escalates. */
  'deadlines',
  /** The log reader (docs/decisions/0014): serves auditors and administrators bounded batches of the logs. */
  'log-reader',
] as const;
export const LEVELS = ['none', 'strategic', 'operational'] as const;

export type AgencyKind = (typeof AGENCY_KINDS)[number];
export type Role = (typeof ROLES)[number];
export type Level = (typeof LEVELS)[number];

/** Orders levels: none < strategic < operational. */
export const LEVEL_RANK: Record<Level, number> = { none: 0, strategic: 1, operational: 2 };

/** A desk's phone in international form (`+49 611 55 0`) or a role mailbox (`desk@agency.example`). */
export const FunctionalContactSchema = z.union([
  z.string().regex(/^\+[1-9][0-9 ]{5,20}$/, 'an international phone number, e.g. +49 611 55 0'),
  z.string().regex(/^[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]{2,}$/, 'a role mailbox, e.g. desk@agency.example'),
]);

export const AgencySchema = z
  .object({
    id: AgencyIdSchema,
    name: z.string().min(1).max(200),
    /** ISO 3166-1 alpha-2 country, or "EU" for EU agencies. */
    country: z.string().regex(/^[A-Z]{2}$/),
    kind: z.enum(AGENCY_KINDS),
    roles: z.array(z.enum(ROLES)).min(1),
    /** The highest EU classification it is cleared to receive; absent = unclassified only. */
    clearance: z.enum(CLASSIFICATIONS).optional(),
    /**
     * Functional contacts (a desk's international phone number, a role mailbox): what a
     * sender may cite in strategic text without the screening taking it for a person's.
     */
    contacts: z.array(FunctionalContactSchema).max(20).optional(),
  })
  .strict();
export type Agency = z.infer<typeof AgencySchema>;

/**
 * The 27 EU member states (ISO 3166-1 alpha-2). The EU writes Greece "EL": the
 * registry accepts both and stores what it was given; `sameCountry` treats GR and EL
 * as one country everywhere (selectors, agreements).
 */
export const EU_MEMBER_STATES = [
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
] as const;

/** ISO code with the EU's "EL" for Greece folded into "GR". */
export function canonicalCountry(code: string): string {
  return code === 'EL' ? 'GR' : code;
}

export function isMemberState(code: string): boolean {
  return (EU_MEMBER_STATES as readonly string[]).includes(canonicalCountry(code));
}

export function sameCountry(a: string, b: string): boolean {
  return canonicalCountry(a) === canonicalCountry(b);
}

/**
 * The EU bodies that may be registered as `eu-agency` with the subscriber role (their
 * founding acts let them receive operational data from member states): the agency id
 * is `eu-<body>` or `eu-<body>-<unit>`. Other EU bodies may hold non-receiving roles
 * (the exchange's own data protection office as auditor).
 */
export const EU_BODIES = [
  'europol',
  'frontex',
  'eurojust',
  'eppo',
  'olaf',
  'eulisa',
  'euaa',
  'euda',
  'cepol',
] as const;

/** An agreement between the exchange community and a partner (a third country or organisation). */
export const AgreementSchema = z
  .object({
    /** The partner: ISO country code of the third-party agencies it covers. */
    partner: z.string().regex(/^[A-Z]{2}$/),
    level: z.enum(LEVELS),
    validFrom: z.number().int(),
    /** Exclusive end; absent = open-ended. */
    validTo: z.number().int().optional(),
    /** When present, only notices whose every crime area is in scope are shared. */
    crimeAreas: z.array(z.enum(CRIME_AREAS)).min(1).optional(),
    legalBasis: z.string().min(1).max(1000),
  })
  .strict();
export type Agreement = z.infer<typeof AgreementSchema>;

/** An agreement as it stands in the registry, with the revision that set it. */
export interface AgreementRecord extends Agreement {
  setAtRevision: number;
  /** Set when an `agreement-ended` event cut it short. */
  endedAtRevision?: number;
}

export interface Administrator {
  id: string;
  key: PublicKeyRecord;
  addedAtRevision: number;
  removedAtRevision?: number;
}

export interface Proposal {
  id: string;
  agreement: Agreement;
  proposedBy: string;
  proposedAtRevision: number;
}
