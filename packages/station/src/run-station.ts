import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LiaisonClient } from '@liaison/client';
import { type Logger, type RunningService, stopOnAbort } from '@liaison/core';
import { fromJwks } from '@liaison/envelope';
import { connect, KeyStore } from '@liaison/identity';
import type { OpsServer } from '@liaison/ops';
import type { StationConfig } from './config.js';
import { openDb } from './db.js';
import { StationError } from './errors.js';
import { stationLogger } from './logger.js';
import { DEFAULT_STATION_SITE, StationSite, siteClientOptions } from './site.js';
import { Station } from './station.js';
import { startStationOps } from './station-ops.js';
import { buildConsole } from './web/console.js';

export interface RunStationOptions {
  signal?: AbortSignal;
  logger?: Logger;
}

export interface RunningStation extends RunningService {
  readonly station: Station;
  /** The console's address, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The metrics and probe server, when `ops.metricsPort` was given (and the station follows the feed). */
  readonly ops: OpsServer | undefined;
  /** At an agency site: the outbox's forwarder and the confirmer of queued notices. */
  readonly site: StationSite | undefined;
}

async function gateKeysOf(config: StationConfig) {
  const file = config.gateJwksFile ?? join(config.home, 'gate.jwks.json');
  if (!existsSync(file)) throw new StationError('NO_KEYS', `no gate keys: ${file} is missing`);
  const jwks = JSON.parse(readFileSync(file, 'utf8')) as { gate?: string };
  return fromJwks(jwks.gate ?? 'liaison-gate', jwks);
}

/**
 * Runs an agency station: loads the agency's keys from the key home (the station
 * is their only holder), opens its database and inbox key, connects to the
 * exchange as the agency through the SDK, replays the feed from a time if asked,
 * follows the feed, and serves the console on 127.0.0.1. The same entry point for `services/station`, the demo
 * and the tests.
 *
 * @example
 * const running = await runStation(stationConfigFromEnv(loadConfig(StationConfigSchema)), { signal });
 * console.log(running.url); await running.done;
 */
export async function runStation(config: StationConfig, o: RunStationOptions = {}): Promise<RunningStation> {
  const logger = o.logger ?? stationLogger;
  const store = new KeyStore(config.home);
  if (!store.has('keys', config.agency))
    throw new StationError('NO_KEYS', `no keys for ${config.agency} in ${join(config.home, 'keys')}`);
  const keys = await store.load('keys', config.agency);
  const db = openDb(config.dbFile ?? join(config.home, 'station', `${config.agency}.db`));
  // The station holds the connection (its metrics watch it); the SDK client uses it.
  const nc = config.follow === false ? undefined : await connect(config.connection);
  // At an agency site the station publishes into the site's outbox (docs/station.md).
  const site = config.site ? { ...DEFAULT_STATION_SITE, ...config.site } : undefined;
  const client = nc
    ? await LiaisonClient.connect({
        nc,
        keys,
        gateKeys: await gateKeysOf(config),
        logger,
        ...(site ? siteClientOptions(config.agency, site, db) : {}),
      })
    : undefined;
  let opened: Station | undefined;
  const port = config.ops?.metricsPort;
  const ops =
    port === undefined
      ? undefined
      : await startStationOps(
          port,
          config.agency,
          logger,
          () => opened,
          nc && client ? { nc, client } : undefined,
        );
  const station = await Station.open({
    db,
    keys,
    logger,
    ...(client ? { client } : {}),
    ...(config.passwordCost ? { passwordCost: config.passwordCost } : {}),
    ...(config.lockout ? { lockout: config.lockout } : {}),
    ...(config.sessions ? { sessions: config.sessions } : {}),
    ...(config.now ? { now: config.now } : {}),
    ...(site ? { site } : {}),
  });
  opened = station;
  const siteLink =
    site && nc && client
      ? await StationSite.start({
          nc,
          agency: config.agency,
          client,
          outbox: station.outbox,
          logger,
          settings: site,
        })
      : undefined;
  // The lifecycle schedule (docs/lifecycle.md): masking PNR data at six months, erasing at
  // the end of retention or of a review date nobody extended.
  const sweep = () => {
    try {
      const r = station.lifecycle.applyRetention();
      if (r.masked.length + r.erased.length > 0)
        logger.info({ masked: r.masked.length, erased: r.erased.length }, 'lifecycle applied');
    } catch (err) {
      logger.warn({ err: String(err) }, 'lifecycle sweep failed; retried at the next interval');
    }
  };
  sweep();
  const sweeper = setInterval(sweep, config.retentionIntervalMs ?? 60 * 60_000);
  if (config.bootstrapAdmin) {
    const admin = await station.bootstrapAdmin(config.bootstrapAdmin);
    if (admin) logger.info({ officer: admin.id }, 'first administrator created');
  }
  if (client && config.replaySince !== undefined) {
    try {
      await station.replay(undefined, config.replaySince);
    } catch (err) {
      logger.warn({ code: (err as { code?: string }).code, err: String(err) }, 'replay at start failed');
    }
  }
  // The access log's checkpoints into the exchange's audit log (docs/station.md).
  const stopCheckpoints = station.checkpoints?.start(config.checkpointIntervalMs ?? 5 * 60_000);
  const following = new AbortController();
  const follow = client
    ? station.follow(following.signal).catch((err) => {
        if (!following.signal.aborted) logger.error({ err: String(err) }, 'feed stopped');
      })
    : Promise.resolve();
  const app = await buildConsole(station, {
    logger,
    ...(config.secureCookies === undefined ? {} : { secureCookies: config.secureCookies }),
  });
  const address = await app.listen({ host: '127.0.0.1', port: config.port ?? 8440 });
  logger.info({ agency: config.agency, url: address }, 'station running');
  const running = stopOnAbort(o.signal, async () => {
    clearInterval(sweeper);
    stopCheckpoints?.();
    following.abort();
    await app.close();
    await siteLink?.stop();
    await client?.close();
    // Closing the connection ends a feed that has not seen the abort yet (still starting).
    await nc?.close();
    await follow;
    await ops?.close();
    db.close();
  });
  return { ...running, station, url: address, ops: ops?.server, site: siteLink };
}
