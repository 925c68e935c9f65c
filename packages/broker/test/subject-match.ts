// NATS subject matching, for checking permissions without a server: a pattern
// covers a subject (itself possibly a wildcard subscription) token by token.

/** Whether `pattern` covers every subject `subject` can stand for (`*` one token, `>` one or more). */
export function covers(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length || s[i] === '>') return false;
    if (p[i] !== '*' && (p[i] !== s[i] || s[i] === '*')) return false;
  }
  return p.length === s.length;
}

/** Allowed by an allow/deny pair as nats-server applies it: some allow covers it and no deny does. */
export function permitted(rule: { allow: string[]; deny?: string[] }, subject: string): boolean {
  return rule.allow.some((a) => covers(a, subject)) && !(rule.deny ?? []).some((d) => covers(d, subject));
}
