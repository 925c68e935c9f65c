export { ERASURE_NOTIFICATION_BASIS } from './amendments.js';
export { type Decision, decide, decideAll } from './decide.js';
export { explain } from './explain.js';
export { type AudienceFacts, type NoticeFacts, noticeFacts } from './facts.js';
export { factsFromHeader } from './header-facts.js';
export { REASON_CODES, REASONS, type ReasonCode } from './reasons.js';
