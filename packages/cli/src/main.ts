#!/usr/bin/env node
// The liaison command-line tool. Each command is a short function in commands/;
// this file only parses arguments and reports errors with their stable codes.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { findCause, formatIssues, LiaisonError } from '@liaison/core';
import { errors } from '@nats-io/transport-node';
import { agencyAdd, agencyApprove, agencyList, agencyShow } from './commands/agency.js';
import { agreementApprove, agreementEnd, agreementPropose } from './commands/agreement.js';
import { amendmentsCommand, rectifyCommand, requestErasureCommand } from './commands/amendments.js';
import { auditCheckpoint, auditHistoryCommand, auditProve, auditVerify } from './commands/audit.js';
import { auditConsole } from './commands/audit-console.js';
import { brokerConfig } from './commands/broker.js';
import { caseShow, hitsCommand } from './commands/cases.js';
import {
  answerCommand,
  auditStatsCommand,
  deadlinesCommand,
  forwardCommand,
  permissionCommand,
  replyCommand,
  requestCommand,
} from './commands/conversation.js';
import { feedTail, publish, receipts } from './commands/exchange.js';
import { keyRevoke, keyRotate } from './commands/key.js';
import { policyExplain, policyShow } from './commands/policy.js';
import { keyGenerate, keysInit } from './commands/public-keys.js';
import { CliError, DEFAULT_AUDITOR, type GlobalOptions, openSession, type Session } from './context.js';

const USAGE = `usage: liaison <command> [options]

registry and policy (administrators sign with --admin <id>):
  agency list | show <id>
  agency add --request request.jws                            the agency's signed registration request (four eyes)
  agency add --id --name --country --kind --roles [--clearance l] (--public-keys file | --generate-keys home)
  agency approve <proposal-id>          a second administrator approves a registration or key change
  key rotate <agency> (--public-keys file | --generate-keys home) [--grace-seconds N]
  key revoke <agency> <kid> [--at time]
  agreement propose --partner CC --level operational|strategic|none --legal-basis text
                    [--from time] [--to time] [--crime-areas a,b]
  agreement approve <proposal-id> | end --partner CC [--at time]
  policy show [--at revision|time] | explain --notice <file> --to <agency> [--from <agency>]

agencies (act with --as <agency>; keys from the key store):
  keys init <agency> --name … --country CC --kind … --roles a,b [--clearance l] --out request.jws
                                       new keys (private into --home) and a signed registration request
  key generate <agency> [--out file]   new keys: private into --home, public to file (unsigned)
  publish <notice.json> [--to a,b] [--allow sel,..] [--deny sel,..] [--strategic-opt-in] [--pnr-transfer file.json]
  feed tail [--kind kind] [--limit N] [--idle-ms N]
  receipts <notice-id>
  feed tail --save dir                 also keeps each notice (0600) to reply to or forward later
  reply <saved.json> <draft.json> [--to a,b]            to the provider by default; markings inherited
  forward <saved.json> <draft.json> --to a,b [--permission saved-grant.json]
  request <draft.json> --to a                           an information request (Directive 2023/977)
  answer <saved-request.json> <draft.json>              information, refusal (with ground), partial, clarification
  permission request <saved.json> --to a,b | grant|refuse <saved-request.json> [--to a,b] [--until time]
  deadlines <request-id>                                the deadline service's reports on a request
  rectify <notice-id> <corrected.json> --reason r [--receipt file] [--strategic-opt-in]
                                       a corrected notice to every recipient of the original (LED Art. 16)
  request-erasure <notice-id> --kind k --crime-areas a,b --reason r [--receipt file]
                                       asks every recipient of the original to erase it
  amendments <amendment-id>            who has confirmed a rectification or erasure request
  case show <reference> [--from time]                   the case's thread as this agency may see it
  hits query <query.json> --to a,b                      two-step: hit / no-hit on an identifier (a keyed hash only)
  hits answer <saved-query.json> hit|no-hit [--reference r]
  hits respond --records file [--limit N]               the reference responder over the agency's own records
  hits follow-up <saved-hit.json> <draft.json> --confirmed-by <officer>   step 2, after a person confirmed the hit

auditors (act with --as <auditor>, default ${DEFAULT_AUDITOR}: an identity with role auditor):
  audit verify [--from N|time] [--to N|time] [--since-checkpoint file] [--workers N] [--content]
                                                              replay and check the whole log
  audit prove <notice-id>                                     inclusion proofs against the latest checkpoint
  audit history [--agency id] [--notice id]                   who sent what to whom, when, why
  audit checkpoint [--save file]                              the latest signed checkpoint
  audit stats [--agency id] [--from time] [--to time]         Directive 2023/977 Art. 18 statistics
  case show --notice <id>                                     a case's thread from the log, linked by provenance
  audit console [--port N]                                    the auditor's web console on 127.0.0.1 (default 8450)

operators:
  broker config [--out file] [--signal-pid pid] [--watch]     users and permissions from the registry
        [--leaf-sites]                                        with each site's leaf user (<home>/nats/<agency>.leaf)

global: --server nats://host:port (or LIAISON_NATS_URL), --home dir (default .liaison), --json`;

const OPTIONS = {
  server: { type: 'string' },
  home: { type: 'string' },
  json: { type: 'boolean' },
  admin: { type: 'string' },
  id: { type: 'string' },
  name: { type: 'string' },
  country: { type: 'string' },
  kind: { type: 'string' },
  roles: { type: 'string' },
  partner: { type: 'string' },
  level: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  at: { type: 'string' },
  'crime-areas': { type: 'string' },
  'legal-basis': { type: 'string' },
  'grace-seconds': { type: 'string' },
  'public-keys': { type: 'string' },
  'generate-keys': { type: 'string' },
  request: { type: 'string' },
  clearance: { type: 'string' },
  notice: { type: 'string' },
  as: { type: 'string' },
  allow: { type: 'string' },
  deny: { type: 'string' },
  limit: { type: 'string' },
  'idle-ms': { type: 'string' },
  agency: { type: 'string' },
  log: { type: 'string' },
  save: { type: 'string' },
  'since-checkpoint': { type: 'string' },
  workers: { type: 'string' },
  content: { type: 'boolean' },
  out: { type: 'string' },
  'signal-pid': { type: 'string' },
  watch: { type: 'boolean' },
  'leaf-sites': { type: 'boolean' },
  'strategic-opt-in': { type: 'boolean' },
  'pnr-transfer': { type: 'string' },
  permission: { type: 'string' },
  until: { type: 'string' },
  reason: { type: 'string' },
  receipt: { type: 'string' },
  'confirmed-by': { type: 'string' },
  records: { type: 'string' },
  reference: { type: 'string' },
  port: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Handler = (
  s: Session,
  g: GlobalOptions,
  args: string[],
  o: Record<string, string | undefined>,
) => Promise<unknown>;

const COMMANDS: Record<string, Handler> = {
  'agency list': (s, g) => agencyList(s, g),
  'agency show': (s, g, a) => agencyShow(s, g, a[0]),
  'agency add': (s, g, _a, o) => agencyAdd(s, g, o),
  'agency approve': (s, g, a, o) => agencyApprove(s, g, a[0], o),
  'key rotate': (s, g, a, o) => keyRotate(s, g, a[0], o),
  'key revoke': (s, g, a, o) => keyRevoke(s, g, a[0], a[1], o),
  'agreement propose': (s, g, _a, o) => agreementPropose(s, g, o),
  'agreement approve': (s, g, a, o) => agreementApprove(s, g, a[0], o),
  'agreement end': (s, g, _a, o) => agreementEnd(s, g, o),
  'policy show': (s, g, _a, o) => policyShow(s, g, o),
  'policy explain': (s, g, _a, o) => policyExplain(s, g, o),
  'feed tail': (s, g, _a, o) => feedTail(s, g, o),
  'audit verify': (s, g, _a, o) => auditVerify(s, g, o),
  'audit prove': (s, g, a, o) => auditProve(s, g, a[0], o),
  'audit history': (s, g, _a, o) => auditHistoryCommand(s, g, o),
  'audit checkpoint': (s, g, _a, o) => auditCheckpoint(s, g, o),
  'audit stats': (s, g, _a, o) => auditStatsCommand(s, g, o),
  'audit console': (s, g, _a, o) => auditConsole(s, g, o),
  'permission request': (s, g, a, o) => permissionCommand(s, g, 'request', a, o),
  'permission grant': (s, g, a, o) => permissionCommand(s, g, 'grant', a, o),
  'permission refuse': (s, g, a, o) => permissionCommand(s, g, 'refuse', a, o),
  'broker config': (s, g, _a, o) => brokerConfig(s, g, o),
  'case show': (s, g, a, o) => caseShow(s, g, a[0], o),
  'hits query': (s, g, a, o) => hitsCommand(s, g, 'query', a, o),
  'hits answer': (s, g, a, o) => hitsCommand(s, g, 'answer', a, o),
  'hits follow-up': (s, g, a, o) => hitsCommand(s, g, 'follow-up', a, o),
  'hits respond': (s, g, a, o) => hitsCommand(s, g, 'respond', a, o),
};

export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [group, verb, ...rest] = parsed.positionals;
  // Single-word commands take their argument as the second positional.
  const single: Record<string, Handler> = {
    publish: (s, g, _a, o) => publish(s, g, verb, o),
    receipts: (s, g, _a, o) => receipts(s, g, verb, o),
    reply: (s, g, a, o) => replyCommand(s, g, [verb ?? '', ...a], o),
    forward: (s, g, a, o) => forwardCommand(s, g, [verb ?? '', ...a], o),
    request: (s, g, a, o) => requestCommand(s, g, [verb ?? '', ...a], o),
    answer: (s, g, a, o) => answerCommand(s, g, [verb ?? '', ...a], o),
    deadlines: (s, g, _a, o) => deadlinesCommand(s, g, verb, o),
    rectify: (s, g, a, o) => rectifyCommand(s, g, [verb ?? '', ...a], o),
    'request-erasure': (s, g, _a, o) => requestErasureCommand(s, g, verb, o),
    amendments: (s, g, _a, o) => amendmentsCommand(s, g, verb, o),
  };
  const handler = single[group ?? ''] ?? COMMANDS[`${group} ${verb}`];
  // Generating an agency's own keys (and its registration request) needs no server.
  const local = (group === 'key' && verb === 'generate') || (group === 'keys' && verb === 'init');
  if (parsed.values.help || (!handler && !local)) {
    console.error(USAGE);
    return parsed.values.help ? 0 : 2;
  }
  const { json, home, server, ...values } = parsed.values;
  const g: GlobalOptions = {
    home: home ?? process.env.LIAISON_HOME ?? '.liaison',
    json: json === true,
    ...(server ? { server } : {}),
  };
  // Audit commands act as an auditor: `--as`, by default the demo's eu-auditor.
  const options = { ...values, ...(group === 'audit' ? { as: values.as ?? DEFAULT_AUDITOR } : {}) } as Record<
    string,
    string | undefined
  >;
  if (local || !handler)
    return report(g, () =>
      group === 'keys' ? keysInit(g, rest[0], options) : keyGenerate(g, rest[0], options),
    );
  let session: Session | undefined;
  return report(g, async () => {
    session = await connecting(() => openSession(g, options.as ?? options.admin));
    return handler(session, g, rest, options);
  }).finally(() => session?.close());
}

/** Runs a command and prints its error (code, message, issues) the same way for all. */
async function report(g: GlobalOptions, run: () => Promise<unknown>): Promise<number> {
  try {
    const code = await run();
    return typeof code === 'number' ? code : 0;
  } catch (err) {
    const e = classify(err);
    if (g.json) console.error(JSON.stringify({ error: e.toPublic() }));
    else
      console.error(`error ${e.code}: ${e.message}${e.issues.length ? `\n${formatIssues(e.issues)}` : ''}`);
    return 1;
  }
}

/** Any failure to open the session that is not ours is a failure to reach the server. */
async function connecting<T>(open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (err) {
    if (err instanceof LiaisonError) throw err;
    if (findCause(err, errors.AuthorizationError))
      throw new CliError(
        'NOT_AUTHORIZED',
        'the server refused this identity (no such user, or a revoked key)',
        {
          cause: err,
        },
      );
    throw new CliError('NO_SERVER', `cannot connect to the server: ${(err as Error)?.message ?? err}`, {
      cause: err,
    });
  }
}

/** Our errors as they are; the NATS client's by their class (never by their message). */
function classify(err: unknown): LiaisonError {
  if (err instanceof LiaisonError) return err;
  const message = (err as Error)?.message ?? String(err);
  const as = (code: 'NO_SERVER' | 'NOT_PERMITTED' | 'NO_RESPONSE' | 'UNEXPECTED', text: string) =>
    new CliError(code, text, { cause: err });
  if (findCause(err, errors.ConnectionError) || findCause(err, errors.ClosedConnectionError))
    return as('NO_SERVER', `lost the server: ${message}`);
  if (findCause(err, errors.PermissionViolationError))
    return as('NOT_PERMITTED', `the broker does not allow this identity to do that: ${message}`);
  if (findCause(err, errors.NoRespondersError) || findCause(err, errors.TimeoutError))
    return as('NO_RESPONSE', `no answer from the server or the service: ${message}`);
  return as('UNEXPECTED', message);
}

// Run when executed (directly, through tsx, or through the bin symlink), not when imported.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
