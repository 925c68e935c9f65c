import { type Issue, toIssues } from '@liaison/core';
import { z } from 'zod';
import { NoticeError } from './errors.js';
import { isNoticeKind, KINDS, type NoticeKind } from './kinds/index.js';
import { LEGAL_LIMITS } from './legal-limits.js';
import { type Markings, MarkingsSchema } from './markings.js';
import {
  findPersonalIdentifier,
  ownValuesOf,
  type ScreeningOptions,
  screenFields,
} from './screening/screen.js';
import {
  type Classification,
  classificationRank,
  DEFAULT_ACCREDITATION,
  derivedSources,
  SOURCES,
} from './sources.js';
import { holdsPersonalData, type Layers, splitLayers, strategicFields } from './split.js';

/** What a sender hands to `seal`: kind, markings, body and any screening overrides. */
export const NoticeInputSchema = z
  .object({
    kind: z.string(),
    markings: z.unknown(),
    body: z.record(z.string(), z.unknown()),
    /**
     * Fields bound for strategic recipients (top-level body keys, `markings.caseReference`,
     * `markings.handlingRestriction`) the sender vouches for despite a screening hit.
     */
    screeningOverrides: z.array(z.string()).max(20).optional(),
  })
  .strict();

export type NoticeInput = z.input<typeof NoticeInputSchema>;

export interface ValidNotice {
  kind: NoticeKind;
  schemaVersion: number;
  markings: Markings;
  body: Record<string, unknown>;
  layers: Layers;
  screeningOverrides: string[];
  /** Whether any field marked personal is present (quasi-identifiers alone do not count). */
  personalData: boolean;
  /** Review date of personal data (ISO), set when the notice holds any. */
  reviewAt?: string;
}

export interface ValidateOptions extends ScreeningOptions {
  /**
   * Screen what is bound for strategic recipients now (default true). The SDK passes
   * false, asks the gate's plan, and screens (`screenNotice`) only when a strategic
   * recipient is in it: a notice for operational partners only is not screened.
   */
  screen?: boolean;
  /** The highest classification the exchange is accredited for (default RESTREINT-UE). */
  accreditation?: Classification;
}

const {
  pnrDepersonaliseAfterMs: PNR_DEPERSONALISE_AFTER_MS,
  pnrDeleteAfterMs: PNR_DELETE_AFTER_MS,
  personalDataReviewMs: PERSONAL_DATA_REVIEW_MS,
} = LEGAL_LIMITS;

function fail(code: ConstructorParameters<typeof NoticeError>[0], message: string, issues: Issue[]): never {
  throw new NoticeError(code, message, { issues });
}

function parse<T>(schema: z.ZodType<T>, value: unknown, prefix: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = toIssues(parsed.error.issues).map((i) => ({ ...i, path: [prefix, ...i.path] }));
  return fail('SCHEMA_INVALID', 'the notice does not match its schema', issues);
}

function checkPassengerDataHit(body: Record<string, unknown>, personalData: boolean, now: Date): void {
  const review = body.humanReview as { reviewedByPerson: boolean; outcome: string };
  if (!review.reviewedByPerson || review.outcome === 'no-match') {
    fail('NOT_HUMAN_REVIEWED', 'an automated match must be confirmed by a person before it is shared', [
      { code: 'NOT_HUMAN_REVIEWED', path: ['body', 'humanReview'], message: 'not confirmed by a person' },
    ]);
  }
  const age = now.getTime() - Date.parse(String(body.dataCollectedAt));
  if (age > PNR_DELETE_AFTER_MS) {
    fail('PNR_RETENTION_EXCEEDED', 'PNR data older than 5 years must be deleted, not shared', [
      { code: 'PNR_RETENTION_EXCEEDED', path: ['body', 'dataCollectedAt'], message: 'older than 5 years' },
    ]);
  }
  if (age > PNR_DEPERSONALISE_AFTER_MS && personalData) {
    fail('PNR_DEPERSONALISATION_REQUIRED', 'PNR data older than 6 months may only be shared depersonalised', [
      { code: 'PNR_DEPERSONALISATION_REQUIRED', path: ['body'], message: 'remove the personal fields' },
    ]);
  }
}

function reviewDate(markings: Markings, personalData: boolean, now: Date): string | undefined {
  if (!personalData) return undefined;
  const latest = now.getTime() + PERSONAL_DATA_REVIEW_MS;
  if (markings.reviewAt && Date.parse(markings.reviewAt) > latest) {
    fail('SCHEMA_INVALID', 'personal data must be reviewed within 3 years', [
      { code: 'too_big', path: ['markings', 'reviewAt'], message: 'later than 3 years from now' },
    ]);
  }
  return markings.reviewAt ?? new Date(latest).toISOString();
}

/** Screening paths of the two markings that travel sealed with the strategic layer. */
const SEALED_MARKINGS = ['caseReference', 'handlingRestriction'] as const;

/**
 * Screens everything a strategic recipient would read: every string of every field of
 * the strategic layer (structured ones included) and the sealed markings. Throws
 * PERSONAL_DATA_IN_STRATEGIC with one issue per field (its path and the class of what
 * it looked like, never the value) unless the sender overrode that field.
 */
export function screenNotice(notice: ValidNotice, options: ScreeningOptions = {}): void {
  const def = KINDS[notice.kind];
  const overrides = new Set(notice.screeningOverrides);
  const own = ownValuesOf(notice.layers.operational);
  const issues = screenFields(
    notice.layers.strategic ?? {},
    strategicFields(def.body),
    own,
    overrides,
    options,
  );
  for (const key of SEALED_MARKINGS) {
    const text = notice.markings[key];
    if (!text || overrides.has(`markings.${key}`)) continue;
    const why = findPersonalIdentifier(text, own, options);
    if (why) issues.push({ code: 'PERSONAL_DATA_IN_STRATEGIC', path: ['markings', key], message: why });
  }
  if (issues.length > 0) {
    fail(
      'PERSONAL_DATA_IN_STRATEGIC',
      `text bound for strategic recipients looks like personal data: ${issues.map((i) => i.path.join('.')).join(', ')} ` +
        '(remove it, or override the field in screeningOverrides if you are sure)',
      issues,
    );
  }
}

function withSources(markings: Markings, kind: NoticeKind, body: Record<string, unknown>): Markings {
  const all = new Set([...(markings.sources ?? []), ...derivedSources(kind, body)]);
  const sources = SOURCES.filter((s) => all.has(s));
  return sources.length > 0 ? { ...markings, sources } : markings;
}

function checkClassification(markings: Markings, accreditation: Classification): void {
  if (classificationRank(markings.classification) > classificationRank(accreditation)) {
    fail('CLASSIFICATION_NOT_ACCREDITED', `the exchange is accredited up to ${accreditation} only`, [
      {
        code: 'CLASSIFICATION_NOT_ACCREDITED',
        path: ['markings', 'classification'],
        message: `above ${accreditation}`,
      },
    ]);
  }
}

/**
 * Validates a notice as its sender wrote it: markings, the body against its kind,
 * the kind's own rules, the split into layers and the screening of strategic free
 * text. Throws a NoticeError whose `issues` name each offending field.
 */
export function validateNotice(
  input: unknown,
  now: Date = new Date(),
  options: ValidateOptions = {},
): ValidNotice {
  const outer = parse(NoticeInputSchema, input, 'notice');
  if (!isNoticeKind(outer.kind)) {
    fail('UNKNOWN_KIND', `unknown notice kind "${outer.kind}"`, [
      { code: 'UNKNOWN_KIND', path: ['kind'], message: `one of ${Object.keys(KINDS).join(', ')}` },
    ]);
  }
  const def = KINDS[outer.kind];
  const body = parse(def.body, outer.body, 'body') as Record<string, unknown>;
  const markings = withSources(parse(MarkingsSchema, outer.markings, 'markings'), def.kind, body);
  checkClassification(markings, options.accreditation ?? DEFAULT_ACCREDITATION);
  const layers = splitLayers(def.body, body);
  const personalData = holdsPersonalData(def.body, body);
  if (def.kind === 'passenger-data-hit') checkPassengerDataHit(body, personalData, now);
  const overrides = outer.screeningOverrides ?? [];
  const known = new Set([...strategicFields(def.body), ...SEALED_MARKINGS.map((k) => `markings.${k}`)]);
  const unknownOverrides = overrides.filter((o) => !known.has(o));
  if (unknownOverrides.length > 0) {
    fail(
      'SCHEMA_INVALID',
      'screening overrides must name fields bound for strategic recipients',
      unknownOverrides.map((o) => ({
        code: 'invalid_value',
        path: ['screeningOverrides', o],
        message: 'not a field bound for strategic recipients',
      })),
    );
  }
  const notice: ValidNotice = {
    kind: def.kind,
    schemaVersion: def.schemaVersion,
    markings,
    body,
    layers,
    screeningOverrides: overrides,
    personalData,
  };
  const reviewAt = reviewDate(markings, personalData, now);
  if (reviewAt) notice.reviewAt = reviewAt;
  if (options.screen !== false) screenNotice(notice, { ...options, now });
  return notice;
}
