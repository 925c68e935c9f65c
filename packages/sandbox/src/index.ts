export { runDemo } from './demo.js';
export { type DemoExchangeOptions, runDemoExchange } from './demo-exchange.js';
export { DEMO_STATION_AGENCY, type DemoStation, startDemoStation } from './demo-station.js';
export { takeFromFeed } from './read-feed.js';
export {
  AUDIT_LOG_ID,
  DEADLINES_ID,
  GATE_ID,
  OPERATOR_ID,
  RETENTION_ID,
  Sandbox,
  type SandboxOptions,
} from './sandbox.js';
