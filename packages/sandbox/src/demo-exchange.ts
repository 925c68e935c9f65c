import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runDemo } from './demo.js';
import { type DemoStation, startDemoStation } from './demo-station.js';
import { Sandbox } from './sandbox.js';

export interface DemoExchangeOptions {
  /** The key home, made afresh (default `.liaison`). */
  home: string;
  /** DEVELOPMENT ONLY: an open broker (anonymous, no permissions, no TLS). */
  open?: boolean;
  /** Keep running for the CLI and de-bka's station until the signal aborts. */
  serve?: boolean;
  signal?: AbortSignal;
}

/**
 * The README's first command: a fresh locked-down exchange (a development CA, every
 * identity with its own nkey and least-privilege permissions, TLS only), the demo's
 * three notices, who could read what, the receipts and the verified audit log; with
 * `serve`, it also starts de-bka's station (console on a free loopback port, fresh
 * logins printed once) and keeps running until the signal aborts.
 */
export async function runDemoExchange(o: DemoExchangeOptions, line: (text: string) => void): Promise<void> {
  const started = Date.now();
  rmSync(o.home, { recursive: true, force: true });
  const sandbox = await Sandbox.start({ home: o.home, ...(o.open ? { open: true } : {}) });
  let station: DemoStation | undefined;
  try {
    line(`Liaison demo — nats-server ${sandbox.url} (JetStream, store ${sandbox.server.storeDir})`);
    line(
      sandbox.open
        ? 'broker: OPEN — development only: anonymous connections, no permissions, no TLS (drop --open for the locked-down exchange)'
        : `broker: locked down — TLS only (development CA in ${sandbox.tlsDir}), an account per agency, per-identity nkeys, allow lists from the registry; anonymous connections refused`,
    );
    line(
      `directory: ${sandbox.store.registry.current.agencies.size} agencies at registry revision ${sandbox.store.registry.current.revision}; keys in ${o.home}/`,
    );
    await runDemo(sandbox, line);
    line(`\ndone in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (o.serve && !o.signal?.aborted) {
      // Retention runs as it would in production: each class's limits applied, every erasure recorded first.
      await sandbox.startRetention({ intervalMs: 60_000 });
      line('retention: sweeping FEED and the delivery ledger every 60 s (docs/lifecycle.md)');
      // The station talks to the exchange as an agency in its own account: locked down only.
      if (sandbox.open) line('\nno station on an open broker (drop --open to get one)');
      else {
        station = await startDemoStation(sandbox, started - 60_000);
        const { agency } = station.running.station;
        line(`\nstation of ${agency}: ${station.running.url}  (its inbox replayed from the feed)`);
        line('  logins for this run only (generated now, shown once):');
        for (const l of station.logins)
          line(`    ${l.role.padEnd(10)} ${l.username.padEnd(13)} ${l.password}`);
      }
      line(`\nserving on ${sandbox.url}; try: pnpm liaison agency list   (Ctrl-C to stop)`);
      await new Promise<void>((resolve) =>
        o.signal?.addEventListener('abort', () => resolve(), { once: true }),
      );
    }
  } finally {
    await station?.running.stop();
    await sandbox.dispose();
    // The CLI finds a running exchange by this file: it is gone with the exchange.
    rmSync(join(o.home, 'server.json'), { force: true });
  }
}
