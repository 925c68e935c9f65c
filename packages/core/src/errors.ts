/** One issue found while validating input: a stable code and where it was found. */
export interface Issue {
  readonly code: string;
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * The one error base class of Liaison. Every package derives its own class with a
 * union of string codes; callers branch on `code`, never on `message`.
 *
 * `message` is what may be shown to a peer, so for cryptographic failures it stays
 * vague; the detail goes to `cause`, which only the operator's log and the audit
 * log see.
 *
 * @example
 * class EnvelopeError extends LiaisonError<'BAD_SIGNATURE' | 'MALFORMED'> {}
 * throw new EnvelopeError('BAD_SIGNATURE', 'signature verification failed', { cause });
 */
export class LiaisonError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly issues: readonly Issue[];

  constructor(code: Code, message: string, options: { cause?: unknown; issues?: readonly Issue[] } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.issues = options.issues ?? [];
  }

  /** What a peer may be told: the code, the outward message and the issues. */
  toPublic(): { code: Code; message: string; issues: readonly Issue[] } {
    return { code: this.code, message: this.message, issues: this.issues };
  }
}

/** True when `err` is a LiaisonError (optionally with the given code). */
export function isLiaisonError(err: unknown, code?: string): err is LiaisonError {
  return err instanceof LiaisonError && (code === undefined || err.code === code);
}

/** Zod-like issue list to Liaison issues (data, not prose). */
export function toIssues(
  issues: readonly { code: string; path: readonly PropertyKey[]; message: string }[],
): Issue[] {
  return issues.map((i) => ({
    code: i.code,
    path: i.path.map((p) => (typeof p === 'number' ? p : String(p))),
    message: i.message,
  }));
}

/** One line per issue, for people: `path.to.field: message (code)`. */
export function formatIssues(issues: readonly Issue[]): string {
  return issues
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message} (${i.code})`)
    .join('\n');
}

/**
 * The first error in `err`'s cause chain (itself included) that is an instance of
 * `type`: libraries wrap errors (a NATS request error wraps "no responders" or a
 * permission violation), and callers classify by type, not by message.
 */
export function findCause<T extends Error>(
  err: unknown,
  type: abstract new (...args: never[]) => T,
): T | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (e instanceof type) return e;
  }
  return undefined;
}
