import { createLogger, type Logger, type RunningService, stopOnAbort } from '@liaison/core';
import { type ConnectionConfigInput, connect, KeyStore, serviceConnection } from '@liaison/identity';
import { type OpsServer, type OpsSettings, opsSettingsFrom } from '@liaison/ops';
import { type GateConfig, type GateSettings, settingsFrom } from './config.js';
import { Gate } from './gate.js';
import { startGateOps } from './gate-ops.js';
import type { Outcome } from './process-submission.js';

/** What a gate needs to run: how to connect, where its keys are, its settings. */
export interface GateRunConfig {
  connection: ConnectionConfigInput;
  /** The key home: the gate's keys (`keys/<gate id>.json`) and the registry's trust anchors. */
  home: string;
  settings?: Partial<GateSettings>;
  /** Metrics and probes on 127.0.0.1:`metricsPort` (absent: none; 0: any free port). */
  ops?: OpsSettings;
}

export interface RunOptions {
  /** Aborting it stops the gate (a runner turns SIGINT/SIGTERM into this). */
  signal?: AbortSignal;
  logger?: Logger;
  onOutcome?: (o: Outcome) => void;
}

export interface RunningGate extends RunningService {
  readonly gate: Gate;
  /** The metrics and probe server, when `ops.metricsPort` was given. */
  readonly ops: OpsServer | undefined;
}

/** The gate's run config from its environment config (`GateConfigSchema`). */
export function gateConfigFromEnv(c: GateConfig): GateRunConfig {
  return {
    connection: serviceConnection(c, c.LIAISON_GATE_ID),
    home: c.LIAISON_HOME,
    settings: settingsFrom(c),
    ops: opsSettingsFrom(c),
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
  let gate: Gate | undefined;
  let metrics: Awaited<ReturnType<typeof startGateOps>> | undefined;
  try {
    const store = new KeyStore(config.home);
    const keys = await store.load('keys', config.settings?.gateId ?? config.connection.name);
    // Up before the gate, so that a gate still starting answers /healthz and is not ready.
    const port = config.ops?.metricsPort;
    if (port !== undefined) metrics = await startGateOps(port, nc, keys.agency, logger, () => gate);
    const onOutcome = o.onOutcome;
    const m = metrics;
    gate = await Gate.start({
      nc,
      keys,
      anchors: store.anchors(),
      ...(config.settings ? { settings: config.settings } : {}),
      ...(m || onOutcome
        ? {
            onOutcome: (x: Outcome) => {
              m?.outcome(x);
              onOutcome?.(x);
            },
          }
        : {}),
      logger,
    });
    logger.info({ gate: keys.agency }, 'gate running');
    const started = gate;
    const running = stopOnAbort(o.signal, async () => {
      await started.stop();
      await m?.ops.close();
      await nc.drain().catch(() => nc.close());
    });
    return { gate: started, ops: m?.ops.server, ...running };
  } catch (err) {
    await metrics?.ops.close();
    await nc.close();
    throw err;
  }
}
