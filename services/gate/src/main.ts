// Runs the policy gate: configuration from the environment (GateConfigSchema in
// @liaison/gate: where NATS is, the gate's nkey seed file and the server's CA, the key
// home), a logger, and SIGINT/SIGTERM turned into an abort. Everything else is runGate.
import { createLogger, loadConfig, runUntilSignalled } from '@liaison/core';
import { GateConfigSchema, gateConfigFromEnv, runGate } from '@liaison/gate';

const logger = createLogger('gate');
const config = gateConfigFromEnv(loadConfig(GateConfigSchema));
await runUntilSignalled(logger, (signal) => runGate(config, { signal, logger }));
