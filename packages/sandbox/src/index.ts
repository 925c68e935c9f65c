export { runDemo } from './demo.js';
export { type DemoExchangeOptions, runDemoExchange } from './demo-exchange.js';
export { DEMO_STATION_AGENCY, type DemoStation, startDemoStation } from './demo-station.js';
export { takeFromFeed } from './read-feed.js';
export { Sandbox, type SandboxOptions } from './sandbox.js';
export { AUDIT_LOG_ID, DEADLINES_ID, GATE_ID, LOG_READER_ID, OPERATOR_ID, RETENTION_ID } from './services.js';
