export { Sandbox, GATE_ID, type SandboxOptions } from './sandbox.js';
