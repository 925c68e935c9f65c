#!/usr/bin/env node
// The liaison command-line tool. Each command is a short function in commands/;
// this file only parses arguments and reports errors with their stable codes.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { formatIssues, LiaisonError } from '@liaison/core';
import { agencyAdd, agencyList, agencyShow } from './commands/agency.js';
import { agreementApprove, agreementEnd, agreementPropose } from './commands/agreement.js';
import { auditCheckpoint, auditHistory, auditProve, auditVerify } from './commands/audit.js';
import { brokerConfig } from './commands/broker.js';
import { feedTail, publish, receipts } from './commands/exchange.js';
import { keyRevoke, keyRotate } from './commands/key.js';
import { policyExplain, policyShow } from './commands/policy.js';
import { CliError, type GlobalOptions, openSession, type Session } from './context.js';

const USAGE = `usage: liaison <command> [options]

registry and policy (administrators sign with --admin <id>):
  agency list | show <id> | add --id --name --country --kind --roles
  key rotate <agency> [--grace-seconds N] | revoke <agency> <kid> [--at time]
  agreement propose --partner CC --level operational|strategic|none --legal-basis text
                    [--from time] [--to time] [--crime-areas a,b]
  agreement approve <proposal-id> | end --partner CC [--at time]
  policy show [--at revision|time] | explain --notice <file> --to <agency> [--from <agency>]

exchange (agencies act with --as <agency>; keys from the key store):
  publish <notice.json> [--to a,b] [--allow sel,..] [--deny sel,..]
  feed tail [--kind kind] [--limit N] [--idle-ms N]
  receipts <notice-id>

auditors:
  audit verify [--from N|time] [--to N|time] [--since-checkpoint file] [--workers N]
                                                              replay and check the whole log
  audit prove <notice-id>                                     inclusion proofs against the latest checkpoint
  audit history [--agency id] [--notice id]                   who sent what to whom, when, why
  audit checkpoint [--save file]                              the latest signed checkpoint

operators:
  broker config [--out file] [--signal-pid pid] [--watch]     users and permissions from the registry

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
  out: { type: 'string' },
  'signal-pid': { type: 'string' },
  watch: { type: 'boolean' },
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
  'audit history': (s, g, _a, o) => auditHistory(s, g, o),
  'audit checkpoint': (s, g, _a, o) => auditCheckpoint(s, g, o),
  'broker config': (s, g, _a, o) => brokerConfig(s, g, o),
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
  };
  const handler = single[group ?? ''] ?? COMMANDS[`${group} ${verb}`];
  if (parsed.values.help || !handler) {
    console.error(USAGE);
    return parsed.values.help ? 0 : 2;
  }
  const { json, home, server, ...options } = parsed.values;
  const g: GlobalOptions = {
    home: home ?? process.env.LIAISON_HOME ?? '.liaison',
    json: json === true,
    ...(server ? { server } : {}),
  };
  let session: Session | undefined;
  try {
    session = await openSession(g, (options.as ?? options.admin) as string | undefined);
    const code = await handler(session, g, rest, options as Record<string, string | undefined>);
    return typeof code === 'number' ? code : 0;
  } catch (err) {
    if (err instanceof CliError || err instanceof LiaisonError) {
      const issues = err instanceof LiaisonError && err.issues.length ? `\n${formatIssues(err.issues)}` : '';
      console.error(`error ${err.code}: ${err.message}${issues}`);
      return 1;
    }
    // Not ours (a connection failure, a server error): still a stable code, no stack.
    const message = (err as Error)?.message ?? String(err);
    console.error(
      `error ${/refused|connect|timeout/i.test(message) ? 'NO_SERVER' : 'UNEXPECTED'}: ${message}`,
    );
    return 1;
  } finally {
    await session?.close();
  }
}

// Run when executed (directly, through tsx, or through the bin symlink), not when imported.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
