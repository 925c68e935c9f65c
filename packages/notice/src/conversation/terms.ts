/**
 * The vocabulary of conversations (Directive (EU) 2023/977): refusal grounds, the
 * reasons for not copying Europol, data categories, and the answer deadlines. Tokens
 * only: they go into the signed cleartext header, where free text may not.
 */

/** Art. 6 refusal grounds, in short (DOMAIN.md). */
export const REFUSAL_GROUNDS = [
  'not-available',
  'requirements-not-met',
  'judicial-authorisation-refused',
  'national-security',
  'ongoing-investigation',
  'safety-of-person',
  'disproportionate-or-irrelevant',
  'minor-offence',
  'no-consent-of-origin',
] as const;
export type RefusalGround = (typeof REFUSAL_GROUNDS)[number];

/** Why Europol is not copied (Art. 12: the copy is decided case by case). */
export const EUROPOL_COPY_REASONS = [
  'outside-europol-objectives',
  'would-harm-investigation',
  'would-harm-security',
  'europol-is-party',
  'no-consent-of-origin',
] as const;
export type EuropolCopyReason = (typeof EUROPOL_COPY_REASONS)[number];

/** The categories of data a request asks for. */
export const DATA_CATEGORIES = [
  'identity',
  'travel-documents',
  'criminal-records',
  'vehicle-registration',
  'address',
  'telecommunications-subscriber',
  'bank-account-holder',
  'border-crossings',
  'travel-bookings',
  'firearms-licences',
  'company-register',
  'other',
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

export const ANSWER_OUTCOMES = ['information', 'refusal', 'partial', 'clarification'] as const;
export type AnswerOutcome = (typeof ANSWER_OUTCOMES)[number];

export const PERMISSION_DECISIONS = ['requested', 'granted', 'refused'] as const;
export type PermissionDecisionName = (typeof PERMISSION_DECISIONS)[number];

/** The agency that receives the Art. 12 copies. */
export const EUROPOL_AGENCY = 'eu-europol';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Directive 2023/977 Art. 5 deadlines: 8 h, 3 calendar days, 7 calendar days. */
export const REQUEST_DEADLINES_MS = {
  urgentDirect: 8 * HOUR_MS,
  urgentIndirect: 3 * DAY_MS,
  other: 7 * DAY_MS,
} as const;

/**
 * How long the requested agency has to answer: 8 hours for an urgent request on
 * directly accessible information, 3 days for an urgent one on information it must
 * obtain from other bodies, 7 days for every other request.
 *
 * @example
 * requestDeadlineMs('urgent', true); // 28_800_000
 */
export function requestDeadlineMs(priority: 'urgent' | 'non-urgent', directlyAccessible: boolean): number {
  if (priority !== 'urgent') return REQUEST_DEADLINES_MS.other;
  return directlyAccessible ? REQUEST_DEADLINES_MS.urgentDirect : REQUEST_DEADLINES_MS.urgentIndirect;
}

/** The due instant (ms) of a request created at `createdAtMs`. */
export function requestDueAt(
  createdAtMs: number,
  priority: 'urgent' | 'non-urgent',
  directlyAccessible: boolean,
): number {
  return createdAtMs + requestDeadlineMs(priority, directlyAccessible);
}
