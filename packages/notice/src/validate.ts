import { type Issue, toIssues } from '@liaison/core';
import { z } from 'zod';
import { NoticeError } from './errors.js';
import { isNoticeKind, KINDS, type KindDefinition, type NoticeKind } from './kinds/index.js';
import { type Markings, MarkingsSchema } from './markings.js';
import { findPersonalIdentifier, identifiersOf, screenFreeText } from './screen.js';
import { freeTextFields, type Layers, splitLayers } from './split.js';

/** What a sender hands to `seal`: kind, markings, body and any screening overrides. */
export const NoticeInputSchema = z
  .object({
    kind: z.string(),
    markings: z.unknown(),
    body: z.record(z.string(), z.unknown()),
    /** Free-text fields (top-level body keys) the sender vouches for despite a screening hit. */
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
  /** Review date of personal data (ISO), set when the notice holds any. */
  reviewAt?: string;
}

const MONTH_MS = 30.44 * 24 * 3600 * 1000;
const PNR_DEPERSONALISE_AFTER_MS = 6 * MONTH_MS;
const PNR_DELETE_AFTER_MS = 60 * MONTH_MS;
const PERSONAL_DATA_REVIEW_MS = 36 * MONTH_MS;

function fail(code: ConstructorParameters<typeof NoticeError>[0], message: string, issues: Issue[]): never {
  throw new NoticeError(code, message, { issues });
}

function parse<T>(schema: z.ZodType<T>, value: unknown, prefix: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = toIssues(parsed.error.issues).map((i) => ({ ...i, path: [prefix, ...i.path] }));
  return fail('SCHEMA_INVALID', 'the notice does not match its schema', issues);
}

function checkPassengerDataHit(body: Record<string, unknown>, layers: Layers, now: Date): void {
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
  if (age > PNR_DEPERSONALISE_AFTER_MS && layers.operational) {
    fail('PNR_DEPERSONALISATION_REQUIRED', 'PNR data older than 6 months may only be shared depersonalised', [
      { code: 'PNR_DEPERSONALISATION_REQUIRED', path: ['body'], message: 'remove the personal fields' },
    ]);
  }
}

function reviewDate(markings: Markings, layers: Layers, now: Date): string | undefined {
  if (!layers.operational) return undefined;
  const latest = now.getTime() + PERSONAL_DATA_REVIEW_MS;
  if (markings.reviewAt && Date.parse(markings.reviewAt) > latest) {
    fail('SCHEMA_INVALID', 'personal data must be reviewed within 3 years', [
      { code: 'too_big', path: ['markings', 'reviewAt'], message: 'later than 3 years from now' },
    ]);
  }
  return markings.reviewAt ?? new Date(latest).toISOString();
}

function screen(def: KindDefinition, notice: ValidNotice, now: Date): void {
  const overrides = new Set(notice.screeningOverrides);
  const identifiers = identifiersOf(notice.layers.operational);
  const issues = screenFreeText(
    notice.layers.strategic ?? {},
    freeTextFields(def.body),
    identifiers,
    overrides,
    now,
  );
  const restriction = notice.markings.handlingRestriction;
  if (restriction && !overrides.has('markings.handlingRestriction')) {
    const why = findPersonalIdentifier(restriction, identifiers, now);
    if (why)
      issues.push({
        code: 'PERSONAL_DATA_IN_STRATEGIC',
        path: ['markings', 'handlingRestriction'],
        message: why,
      });
  }
  if (issues.length > 0) {
    fail(
      'PERSONAL_DATA_IN_STRATEGIC',
      `free text bound for strategic recipients looks like personal data: ${issues.map((i) => i.path.join('.')).join(', ')} ` +
        '(remove it, or override the field in screeningOverrides if you are sure)',
      issues,
    );
  }
}

/**
 * Validates a notice as its sender wrote it: markings, the body against its kind,
 * the kind's own rules, the split into layers and the screening of strategic free
 * text. Throws a NoticeError whose `issues` name each offending field.
 */
export function validateNotice(input: unknown, now: Date = new Date()): ValidNotice {
  const outer = parse(NoticeInputSchema, input, 'notice');
  if (!isNoticeKind(outer.kind)) {
    fail('UNKNOWN_KIND', `unknown notice kind "${outer.kind}"`, [
      { code: 'UNKNOWN_KIND', path: ['kind'], message: `one of ${Object.keys(KINDS).join(', ')}` },
    ]);
  }
  const def = KINDS[outer.kind];
  const markings = parse(MarkingsSchema, outer.markings, 'markings');
  const body = parse(def.body, outer.body, 'body') as Record<string, unknown>;
  const layers = splitLayers(def.body, body);
  if (def.kind === 'passenger-data-hit') checkPassengerDataHit(body, layers, now);
  const overrides = outer.screeningOverrides ?? [];
  const known = new Set([...freeTextFields(def.body), 'markings.handlingRestriction']);
  const unknownOverrides = overrides.filter((o) => !known.has(o));
  if (unknownOverrides.length > 0) {
    fail(
      'SCHEMA_INVALID',
      'screening overrides must name free-text fields',
      unknownOverrides.map((o) => ({
        code: 'invalid_value',
        path: ['screeningOverrides', o],
        message: 'not a free-text field',
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
  };
  const reviewAt = reviewDate(markings, layers, now);
  if (reviewAt) notice.reviewAt = reviewAt;
  screen(def, notice, now);
  return notice;
}
