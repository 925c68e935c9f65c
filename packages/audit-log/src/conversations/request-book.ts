import { conversationFromHeader } from '@liaison/envelope';
import { EUROPOL_AGENCY, type RefusalGround } from '@liaison/notice';
import {
  type AuditEntry,
  AuditEntryKind,
  fromBinary,
  type NoticeHeader,
  NoticeHeaderSchema,
  Priority,
} from '@liaison/wire';

export type AnswerKind = 'information' | 'refusal' | 'partial' | 'clarification';
export type EscalationStage = 'DUE_SOON' | 'OVERDUE';

/** One information request as the audit log tells it: who asked whom, when it is due, how it was answered. */
export interface RequestState {
  requestId: string;
  requester: string;
  /** The agencies it was delivered to, Europol's copy left out. */
  requested: string[];
  urgent: boolean;
  directlyAccessible: boolean;
  europolCopied: boolean;
  /** When the gate accepted it (ms). */
  at: number;
  /** The deadline signed into the request (ms). */
  signedDueAt: number;
  /** Time the clock stood still for clarifications (ms), and since when it stands still now. */
  pausedMs: number;
  pausedSince?: number;
  answers: { id: string; by: string; at: number; outcome: AnswerKind; refusalGround?: RefusalGround }[];
  /** The first answer that is not a request for clarification. */
  final?: RequestState['answers'][number];
  escalations: Set<EscalationStage>;
}

function headerOf(e: AuditEntry): NoticeHeader | undefined {
  try {
    return e.header.length ? fromBinary(NoticeHeaderSchema, e.header) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A fold over the audit log's entries into the state of every information request:
 * requests (SUBMISSION of kind information-request), their answers (an answer replying
 * to one), clarifications (an answer of type clarification stops the clock; the
 * requester's next reply to it starts it again) and escalations (ESCALATION entries of
 * the deadline service). Pure and deterministic: the deadline service re-derives its
 * timers from it on every start, the auditor's statistics are computed from it.
 */
export class RequestBook {
  readonly requests = new Map<string, RequestState>();
  /** Clarification answers, by id: the request they paused. */
  private readonly clarifications = new Map<string, string>();

  apply(e: AuditEntry): void {
    if (e.kind === AuditEntryKind.ESCALATION) {
      const r = this.requests.get(e.noticeId);
      if (r && (e.code === 'DUE_SOON' || e.code === 'OVERDUE')) r.escalations.add(e.code);
      return;
    }
    if (e.kind !== AuditEntryKind.SUBMISSION) return;
    const h = headerOf(e);
    const terms = h && conversationFromHeader(h);
    if (!h || !terms) return;
    const at = Number(e.atMs);
    if (h.kind === 'information-request' && terms.request) {
      const delivered = e.deliveries.filter((d) => d.grant.length > 0).map((d) => d.recipient);
      const copied = terms.europolCopy?.copied === true;
      this.requests.set(h.noticeId, {
        requestId: h.noticeId,
        requester: h.sender,
        requested: copied ? delivered.filter((r) => r !== EUROPOL_AGENCY) : delivered,
        urgent: h.priority === Priority.URGENT,
        directlyAccessible: terms.request.directlyAccessible,
        europolCopied: copied,
        at,
        signedDueAt: terms.dueAtMs ?? at,
        pausedMs: 0,
        answers: [],
        escalations: new Set(),
      });
      return;
    }
    const p = terms.provenance;
    if (p?.relation !== 'reply') return;
    if (h.kind === 'answer' && terms.answer) {
      const r = this.requests.get(p.noticeId);
      if (!r?.requested.includes(h.sender)) return;
      const a = {
        id: h.noticeId,
        by: h.sender,
        at,
        outcome: terms.answer.outcome as AnswerKind,
      } as RequestState['answers'][number];
      if (terms.answer.refusalGround) a.refusalGround = terms.answer.refusalGround;
      r.answers.push(a);
      if (a.outcome === 'clarification') {
        this.clarifications.set(h.noticeId, r.requestId);
        if (!r.final) r.pausedSince ??= at;
      } else if (!r.final) {
        r.final = a;
        this.resume(r, at);
      }
      return;
    }
    // The requester's reply to a clarification: the clock runs again.
    const paused = this.clarifications.get(p.noticeId);
    const r = paused ? this.requests.get(paused) : undefined;
    if (r && h.sender === r.requester) this.resume(r, at);
  }

  private resume(r: RequestState, at: number): void {
    if (r.pausedSince === undefined) return;
    r.pausedMs += Math.max(0, at - r.pausedSince);
    delete r.pausedSince;
  }

  /** The due time with the clarification pauses (a paused request is due no earlier than `now` + what was left). */
  static dueAt(r: RequestState, now: number): number {
    const paused = r.pausedSince === undefined ? 0 : Math.max(0, now - r.pausedSince);
    return r.signedDueAt + r.pausedMs + paused;
  }

  /** Whether the request was (or, still open, is being) answered within its deadline. */
  static inTime(r: RequestState, now: number): boolean | undefined {
    if (r.final) return r.final.at <= RequestBook.dueAt(r, r.final.at);
    return now > RequestBook.dueAt(r, now) ? false : undefined;
  }

  /**
   * The escalations due at `now`: OVERDUE once the deadline has passed, DUE_SOON within
   * `warnMs` of it (default: a quarter of the deadline), each once per request; none for
   * an answered or paused request.
   */
  due(
    now: number,
    warnMs?: (r: RequestState) => number,
  ): { request: RequestState; stage: EscalationStage; dueAt: number }[] {
    const out: { request: RequestState; stage: EscalationStage; dueAt: number }[] = [];
    for (const r of this.requests.values()) {
      if (r.final || r.pausedSince !== undefined || r.escalations.has('OVERDUE')) continue;
      const dueAt = RequestBook.dueAt(r, now);
      if (now >= dueAt) out.push({ request: r, stage: 'OVERDUE', dueAt });
      else if (!r.escalations.has('DUE_SOON') && now >= dueAt - (warnMs ?? defaultWarn)(r))
        out.push({ request: r, stage: 'DUE_SOON', dueAt });
    }
    return out;
  }

  /** When `due` will next have something (ms), or undefined. */
  nextWake(now: number, warnMs?: (r: RequestState) => number): number | undefined {
    let next: number | undefined;
    for (const r of this.requests.values()) {
      if (r.final || r.pausedSince !== undefined || r.escalations.has('OVERDUE')) continue;
      const dueAt = RequestBook.dueAt(r, now);
      const at = r.escalations.has('DUE_SOON') ? dueAt : dueAt - (warnMs ?? defaultWarn)(r);
      next = next === undefined ? at : Math.min(next, at);
    }
    return next;
  }
}

/** A quarter of the request's deadline: 2 h of 8 h, 18 h of 3 days, 42 h of 7 days. */
export function defaultWarn(r: RequestState): number {
  return (r.signedDueAt - r.at) / 4;
}
