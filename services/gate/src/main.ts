// Runs the policy gate. Configuration comes from the environment (see
// GateConfigSchema in @liaison/gate); keys from the key store in LIAISON_HOME.
import { KeyStore } from '@liaison/client';
import { createLogger, loadConfig } from '@liaison/core';
import { Gate, GateConfigSchema, settingsFrom } from '@liaison/gate';
import { connect } from '@nats-io/transport-node';

const logger = createLogger('gate');
const config = loadConfig(GateConfigSchema);
const store = new KeyStore(config.LIAISON_HOME);
const keys = await store.load('keys', config.LIAISON_GATE_ID);
const nc = await connect({
  servers: config.LIAISON_NATS_URL.split(','),
  name: config.LIAISON_GATE_ID,
  maxReconnectAttempts: -1,
  noAsyncTraces: true,
});
const gate = await Gate.start({ nc, keys, anchors: store.anchors(), settings: settingsFrom(config), logger });

const stop = new Promise<NodeJS.Signals>((resolve) => {
  process.once('SIGINT', () => resolve('SIGINT'));
  process.once('SIGTERM', () => resolve('SIGTERM'));
});
logger.info({ signal: await stop }, 'stopping');
await gate.stop();
await nc.drain();
