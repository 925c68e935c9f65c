// The README's first command: the locked-down demo exchange (runDemoExchange in
// @liaison/sandbox). Flags: --serve keeps it running for the CLI; --open (DEVELOPMENT
// ONLY) starts an open broker instead; --secure and --tls are accepted and change
// nothing (the default is both). SIGINT, SIGTERM and SIGHUP stop it, and so does the
// end of the package manager that started it (pnpm does not pass SIGTERM on).
import { abortWhenOrphaned } from '@liaison/core';
import { runDemoExchange } from '@liaison/sandbox';

const args = process.argv.slice(2);
const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => stop.abort());
abortWhenOrphaned(stop);
await runDemoExchange(
  {
    home: process.env.LIAISON_HOME ?? '.liaison',
    open: args.includes('--open'),
    serve: args.includes('--serve'),
    signal: stop.signal,
  },
  (text) => console.log(text),
);
