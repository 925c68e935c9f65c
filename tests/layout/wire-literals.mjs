// Names of the wire live in one place (STYLE.md habit 13): no .ts file outside
// packages/topology/src spells a subject, a JetStream API subject, a stream name or
// the KV bucket as a literal. Part of `pnpm lint` (run by check-layout.mjs).
//
// Flagged, in string and template literals (comments are skipped):
// - `liaison.<token>` where <token> is a subject token or a wildcard — the default
//   prefix spelled out (`liaison.v1.*` domain labels and `liaison.audit/v1` are not
//   subjects and pass);
// - `${…}.<token>` — a template building a subject under some prefix;
// - `$JS.` and `$KV.` — JetStream API, ack and KV subjects;
// - `_INBOX_` — the per-identity inbox prefix;
// - a literal that is exactly a stream or bucket name.

const TOKENS = 'intake|feed|receipt|ack|audit|auditin|policy|gate|outbox';
const RULES = [
  [new RegExp(`(^|[^\\w./-])liaison\\.(${TOKENS}|[*>])(?=$|[.\\s"'])`), 'subject under the default prefix'],
  [new RegExp(`\\$\\{[^}]*\\}\\.(${TOKENS})(?=$|[.\\s"'])`), 'subject built under a prefix'],
  [/\$(JS|KV)\./, 'JetStream API / KV subject'],
  [/_INBOX_/, 'per-identity inbox prefix'],
];
const NAMES = new Set([
  'INTAKE',
  'FEED',
  'RECEIPTS',
  'ACKS',
  'AUDIT_IN',
  'AUDIT',
  'AUDIT_CHECKPOINTS',
  'POLICY',
  'LIAISON_DELIVERIES',
  'LIAISON_RETENTION',
  'OUTBOX',
]);

/** The string and template literals of a TypeScript source, with their line numbers (comments skipped). */
export function literalsOf(text) {
  const out = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  const push = (start, value) => out.push({ line: start, value });
  while (i < n) {
    const c = text[i];
    if (c === '\n') line++;
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (let j = i; j < stop; j++) if (text[j] === '\n') line++;
      i = stop;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      const start = line;
      let j = i + 1;
      let depth = 0;
      while (j < n) {
        const d = text[j];
        if (d === '\n') line++;
        if (d === '\\') {
          j += 2;
          continue;
        }
        if (c === '`' && d === '$' && text[j + 1] === '{') depth++;
        else if (c === '`' && depth > 0 && d === '}') depth--;
        else if (d === c && depth === 0) break;
        j++;
      }
      push(start, text.slice(i + 1, j));
      i = j + 1;
      continue;
    }
    i++;
  }
  return out;
}

/** Problems in one file: a wire name spelled as a literal. */
export function wireLiterals(text, rel) {
  const problems = [];
  for (const { line, value } of literalsOf(text)) {
    const why = NAMES.has(value) ? 'stream or bucket name' : RULES.find(([re]) => re.test(value))?.[1];
    if (why)
      problems.push(`${rel}:${line}: ${why} as a literal (${JSON.stringify(value)}); use @liaison/topology`);
  }
  return problems;
}
