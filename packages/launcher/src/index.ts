export { reapChildren } from './children.js';
export { makeDevCa, tlsServerConfig } from './dev-ca.js';
export { LauncherError, type LauncherErrorCode } from './errors.js';
export { findNatsServer } from './find-binary.js';
export { freePort } from './free-port.js';
export { allocatePorts, NatsServer, type ServerPorts, type ServerSpec, sleep } from './nats-server.js';
export { renderConfig, type Template } from './render-config.js';
export { type StartServerOptions, startFresh, startServer } from './start-server.js';
