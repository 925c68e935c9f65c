export { isTransientJetStreamError, type RetryOptions, retryTransient } from '@liaison/core';
export {
  findNatsServer,
  freePort,
  makeDevCa,
  NatsServer,
  type StartServerOptions,
  sleep,
  tlsServerConfig,
} from '@liaison/launcher';
export { type ClusterLayout, NatsCluster } from './cluster.js';
export { TestkitError, type TestkitErrorCode } from './errors.js';
export {
  type ByteMutation,
  byteMutation,
  byteMutations,
  bytesEqual,
  fuzzParams,
  isCrash,
  mutateAll,
  mutateBytes,
  mutateText,
  outcomeOf,
  withinMs,
} from './fuzz.js';
export { type StartHubOptions, startHub, startHubNode } from './hub.js';
export { type StartLeafNodeOptions, startLeafNode } from './leaf-node.js';
export { LinkProxy } from './link-proxy.js';
export { type StartClusterOptions, startCluster, startServer } from './start.js';
