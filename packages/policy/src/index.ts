export { type Decision, decide, decideAll } from './decide.js';
export { explain } from './explain.js';
export type { AudienceFacts, NoticeFacts } from './facts.js';
export { REASON_CODES, REASONS, type ReasonCode } from './reasons.js';
