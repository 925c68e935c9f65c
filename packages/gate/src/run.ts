import { createLogger, type Logger, type RunningService, stopOnAbort } from '@liaison/core';
import { type ConnectionConfigInput, connect, KeyStore, serviceConnection } from '@liaison/identity';
import { type GateConfig, type GateSettings, settingsFrom } from './config.js';
import { Gate } from './gate.js';
import type { Outcome } from './process-submission.js';

/** What a gate needs to run: how to connect, where its keys are, its settings. */
export interface GateRunConfig {
  connection: ConnectionConfigInput;
  /** The key home: the gate's keys (`keys/<gate id>.json`) and the registry's trust anchors. */
  home: string;
  settings?: Partial<GateSettings>;
}

export interface RunOptions {
  /** Aborting it stops the gate (a runner turns SIGINT/SIGTERM into this). */
  signal?: AbortSignal;
  logger?: Logger;
  onOutcome?: (o: Outcome) => void;
}

export interface RunningGate extends RunningService {
  readonly gate: Gate;
}

/** The gate's run config from its environment config (`GateConfigSchema`). */
export function gateConfigFromEnv(c: GateConfig): GateRunConfig {
  return {
    connection: serviceConnection(c, c.LIAISON_GATE_ID),
    home: c.LIAISON_HOME,
    settings: settingsFrom(c),
  };
}

/**
 * Runs one gate instance: connects as the gate (its nkey, TLS, its inbox), loads
 * its keys and the trust anchors from the key home, and starts consuming intake.
 * The same entry point for `services/gate` and the sandbox.
 *
 * @example
 * const gate = await runGate(gateConfigFromEnv(loadConfig(GateConfigSchema)), { signal, logger });
 * await gate.done;
 */
export async function runGate(config: GateRunConfig, o: RunOptions = {}): Promise<RunningGate> {
  const logger = o.logger ?? createLogger('gate');
  const nc = await connect(config.connection);
  try {
    const store = new KeyStore(config.home);
    const keys = await store.load('keys', config.settings?.gateId ?? config.connection.name);
    const gate = await Gate.start({
      nc,
      keys,
      anchors: store.anchors(),
      ...(config.settings ? { settings: config.settings } : {}),
      ...(o.onOutcome ? { onOutcome: o.onOutcome } : {}),
      logger,
    });
    logger.info({ gate: keys.agency }, 'gate running');
    const running = stopOnAbort(o.signal, async () => {
      await gate.stop();
      await nc.drain().catch(() => nc.close());
    });
    return { gate, ...running };
  } catch (err) {
    await nc.close();
    throw err;
  }
}
