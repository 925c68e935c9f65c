import type { z } from 'zod';
import { type Answer, AnswerSchema } from './answer.js';
import { type BorderAlert, BorderAlertSchema } from './border-alert.js';
import { type HitAnswer, HitAnswerSchema, type HitQuery, HitQuerySchema } from './hit-query.js';
import { type InformationRequest, InformationRequestSchema } from './information-request.js';
import { type OnwardPermissionBody, OnwardPermissionSchema } from './onward-permission.js';
import { type PassengerDataHit, PassengerDataHitSchema } from './passenger-data-hit.js';
import { type ThreatNotice, ThreatNoticeSchema } from './threat-notice.js';

export const NOTICE_KINDS = [
  'border-alert',
  'passenger-data-hit',
  'threat-notice',
  'information-request',
  'answer',
  'onward-permission',
  'hit-query',
  'hit-answer',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export interface KindDefinition {
  kind: NoticeKind;
  /** Incremented on any incompatible change of the body schema. */
  schemaVersion: number;
  body: z.ZodObject;
  /**
   * Whether the kind may reach strategic partners: `by-default` (threat notices are
   * strategic by nature) or `opt-in` (person-centred kinds: only when the sender opts in
   * for that notice, in the signed header, and then coarsened).
   */
  strategic: 'by-default' | 'opt-in';
}

export const KINDS: Readonly<Record<NoticeKind, KindDefinition>> = {
  'border-alert': { kind: 'border-alert', schemaVersion: 2, body: BorderAlertSchema, strategic: 'opt-in' },
  'passenger-data-hit': {
    kind: 'passenger-data-hit',
    schemaVersion: 2,
    body: PassengerDataHitSchema,
    strategic: 'opt-in',
  },
  'threat-notice': {
    kind: 'threat-notice',
    schemaVersion: 1,
    body: ThreatNoticeSchema,
    strategic: 'by-default',
  },
  // Conversations (docs/conversations.md): person-centred by nature.
  'information-request': {
    kind: 'information-request',
    schemaVersion: 1,
    body: InformationRequestSchema,
    strategic: 'opt-in',
  },
  answer: { kind: 'answer', schemaVersion: 1, body: AnswerSchema, strategic: 'opt-in' },
  'onward-permission': {
    kind: 'onward-permission',
    schemaVersion: 1,
    body: OnwardPermissionSchema,
    strategic: 'opt-in',
  },
  // Two-step hit / no-hit (docs/decisions/0015).
  'hit-query': { kind: 'hit-query', schemaVersion: 1, body: HitQuerySchema, strategic: 'opt-in' },
  'hit-answer': { kind: 'hit-answer', schemaVersion: 1, body: HitAnswerSchema, strategic: 'opt-in' },
};

export function isNoticeKind(kind: string): kind is NoticeKind {
  return (NOTICE_KINDS as readonly string[]).includes(kind);
}

export type NoticeBody = {
  'border-alert': BorderAlert;
  'passenger-data-hit': PassengerDataHit;
  'threat-notice': ThreatNotice;
  'information-request': InformationRequest;
  answer: Answer;
  'onward-permission': OnwardPermissionBody;
  'hit-query': HitQuery;
  'hit-answer': HitAnswer;
};

export type {
  Answer,
  BorderAlert,
  HitAnswer,
  HitQuery,
  InformationRequest,
  OnwardPermissionBody,
  PassengerDataHit,
  ThreatNotice,
};
export {
  AnswerSchema,
  BorderAlertSchema,
  HitAnswerSchema,
  HitQuerySchema,
  InformationRequestSchema,
  OnwardPermissionSchema,
  PassengerDataHitSchema,
  ThreatNoticeSchema,
};
