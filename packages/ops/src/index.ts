// prom-client is this package's to pin: services define their metrics with these.
export { Counter, Gauge, Histogram, type Registry } from 'prom-client';
export { OPS_HOST, OpsEnv, type OpsSettings, opsSettingsFrom } from './config.js';
export { type ConnectionWatch, watchConnection } from './connection-metrics.js';
export { OpsError, type OpsErrorCode } from './errors.js';
export {
  type ConsumerRef,
  consumerGauges,
  type StreamLook,
  streamGauges,
  streamsPresent,
} from './jetstream-metrics.js';
export { type OpsServer, type OpsServerOptions, serveOps } from './ops-server.js';
export { type Check, type Readiness, readinessOf } from './readiness.js';
export { serviceRegistry } from './registry.js';
export { sampled } from './sampled.js';
export { mirroredCounter, type ServiceOps, type ServiceOpsOptions, startServiceOps } from './service-ops.js';
