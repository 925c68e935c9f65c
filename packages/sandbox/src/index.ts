export { GATE_ID, Sandbox, type SandboxOptions } from './sandbox.js';
