export { runDemo } from './demo.js';
export { takeFromFeed } from './read-feed.js';
export { GATE_ID, Sandbox, type SandboxOptions } from './sandbox.js';
