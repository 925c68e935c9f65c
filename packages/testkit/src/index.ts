export { isTransientJetStreamError, type RetryOptions, retryTransient } from '@liaison/core';
export {
  findNatsServer,
  freePort,
  makeDevCa,
  NatsServer,
  sleep,
  type StartServerOptions,
  tlsServerConfig,
} from '@liaison/launcher';
export { NatsCluster } from './cluster.js';
export { TestkitError, type TestkitErrorCode } from './errors.js';
export { type StartClusterOptions, startCluster, startServer } from './start.js';
