import type { z } from 'zod';
import { type BorderAlert, BorderAlertSchema } from './border-alert.js';
import { type PassengerDataHit, PassengerDataHitSchema } from './passenger-data-hit.js';
import { type ThreatNotice, ThreatNoticeSchema } from './threat-notice.js';

export const NOTICE_KINDS = ['border-alert', 'passenger-data-hit', 'threat-notice'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export interface KindDefinition {
  kind: NoticeKind;
  /** Incremented on any incompatible change of the body schema. */
  schemaVersion: number;
  body: z.ZodObject;
}

export const KINDS: Readonly<Record<NoticeKind, KindDefinition>> = {
  'border-alert': { kind: 'border-alert', schemaVersion: 1, body: BorderAlertSchema },
  'passenger-data-hit': { kind: 'passenger-data-hit', schemaVersion: 1, body: PassengerDataHitSchema },
  'threat-notice': { kind: 'threat-notice', schemaVersion: 1, body: ThreatNoticeSchema },
};

export function isNoticeKind(kind: string): kind is NoticeKind {
  return (NOTICE_KINDS as readonly string[]).includes(kind);
}

export type NoticeBody = {
  'border-alert': BorderAlert;
  'passenger-data-hit': PassengerDataHit;
  'threat-notice': ThreatNotice;
};

export type { BorderAlert, PassengerDataHit, ThreatNotice };
export { BorderAlertSchema, PassengerDataHitSchema, ThreatNoticeSchema };
