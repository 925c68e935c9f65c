export { isTransientJetStreamError, type RetryOptions, retryTransient } from '@liaison/core';
export { NatsCluster } from './cluster.js';
export { TestkitError, type TestkitErrorCode } from './errors.js';
export { findNatsServer } from './find-binary.js';
export { freePort } from './free-port.js';
export { NatsServer, sleep } from './nats-server.js';
export { type StartClusterOptions, type StartServerOptions, startCluster, startServer } from './start.js';
export { makeDevCa, tlsServerConfig } from './tls.js';
