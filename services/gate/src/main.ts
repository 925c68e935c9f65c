// Runs the policy gate: configuration from the environment (GateConfigSchema in
// @liaison/gate: where NATS is, the gate's nkey seed file and the server's CA, the key
// home), a logger, and SIGINT/SIGTERM turned into an abort. Everything else is runGate.
import { createLogger, loadConfig } from '@liaison/core';
import { GateConfigSchema, gateConfigFromEnv, runGate } from '@liaison/gate';

const logger = createLogger('gate');
const config = gateConfigFromEnv(loadConfig(GateConfigSchema));
const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    logger.info({ signal }, 'stopping');
    stop.abort();
  });
try {
  const gate = await runGate(config, { signal: stop.signal, logger });
  await gate.done;
} catch (err) {
  logger.fatal({ code: (err as { code?: string }).code, err: String(err) }, 'stopped by an error');
  process.exitCode = 1;
}
