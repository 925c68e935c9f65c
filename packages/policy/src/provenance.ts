import { classificationRank, HANDLING_CODES, TLP_LABELS, type Tlp } from '@liaison/notice';
import { LEVEL_RANK, type Level } from '@liaison/registry';
import type { NoticeFacts } from './facts.js';

/**
 * What a reply or forward answers or forwards, as the gate found it in its delivery
 * ledger (and an auditor in the audit entry): the notice's own facts (its signed header
 * and audience), whom it was delivered to, and the provider's grant when one was cited.
 */
export interface OriginFacts {
  noticeId: string;
  relation: 'reply' | 'forward';
  facts: NoticeFacts;
  /** Agencies the gate delivered the notice to. */
  recipients: readonly string[];
  /** A valid grant of the provider (onward-permission, decision granted) the forward cites. */
  permission?: PermissionFacts;
}

/** The provider's grant: `grantee` may disseminate the notice to `recipients` until `validUntil`. */
export interface PermissionFacts {
  noticeId: string;
  provider: string;
  grantee: string;
  recipients: readonly string[];
  /** ms; absent = no limit. */
  validUntil?: number;
}

/** Why a reply or forward is refused as a whole (the gate's rejection codes). */
export type InheritanceCode =
  | 'NOT_A_RECIPIENT_OF_ORIGIN'
  | 'HANDLING_CODE_NOT_INHERITED'
  | 'TLP_NOT_INHERITED'
  | 'CLASSIFICATION_NOT_INHERITED'
  | 'SOURCES_NOT_INHERITED';

/**
 * Handling codes ordered by how much they restrict, H0 < H1 < H2 < H3: H3 carries a
 * mandatory restriction text (sealed, so the gate cannot compare texts: the SDK copies
 * the original's into a reply, and a recipient reads both), and is taken as the
 * strictest. A reply may raise a code, never lower it.
 */
export function handlingRank(code: NoticeFacts['handlingCode']): number {
  return HANDLING_CODES.indexOf(code);
}

/** TLP ordered by how far it lets information go: none = CLEAR < GREEN < AMBER < AMBER+STRICT < RED. */
export function tlpRank(tlp: Tlp | undefined): number {
  return tlp ? TLP_LABELS.length - 1 - TLP_LABELS.indexOf(tlp) : 0;
}

/** Onward dissemination of these needs the provider's recorded permission (DOMAIN.md). */
export function needsPermission(f: NoticeFacts): boolean {
  return f.handlingCode === 'H2' || f.tlp === 'TLP:RED' || f.tlp === 'TLP:AMBER+STRICT';
}

/**
 * The first reason a reply or forward is not allowed at all: its sender was neither
 * given the notice nor its provider, or its markings are weaker than the notice's —
 * handling code, TLP, classification, or a source (and with it that source's rules:
 * SIS never to third parties, PNR only with an Art. 11 justification) dropped.
 */
export function inheritanceViolation(reply: NoticeFacts, origin: OriginFacts): InheritanceCode | undefined {
  const o = origin.facts;
  if (reply.sender !== o.sender && !origin.recipients.includes(reply.sender))
    return 'NOT_A_RECIPIENT_OF_ORIGIN';
  if (handlingRank(reply.handlingCode) < handlingRank(o.handlingCode)) return 'HANDLING_CODE_NOT_INHERITED';
  if (tlpRank(reply.tlp) < tlpRank(o.tlp)) return 'TLP_NOT_INHERITED';
  if (classificationRank(reply.classification) < classificationRank(o.classification))
    return 'CLASSIFICATION_NOT_INHERITED';
  const sources = new Set(reply.sources ?? []);
  if ((o.sources ?? []).some((s) => !sources.has(s))) return 'SOURCES_NOT_INHERITED';
  return undefined;
}

/** Whether a grant covers `recipient` for the reply's sender at `at`. */
export function permits(
  p: PermissionFacts | undefined,
  sender: string,
  recipient: string,
  at: number,
): boolean {
  if (!p || p.grantee !== sender || !p.recipients.includes(recipient)) return false;
  return p.validUntil === undefined || at < p.validUntil;
}

export const minLevel = (a: Level, b: Level): Level => (LEVEL_RANK[a] <= LEVEL_RANK[b] ? a : b);
