export { NatsServer, sleep } from './nats-server.js';
export { NatsCluster } from './cluster.js';
export { startServer, startCluster, type StartServerOptions, type StartClusterOptions } from './start.js';
export { findNatsServer } from './find-binary.js';
export { freePort } from './free-port.js';
export { retryTransient, isTransientJetStreamError, type RetryOptions } from './retry.js';
export { TestkitError, type TestkitErrorCode } from './errors.js';
