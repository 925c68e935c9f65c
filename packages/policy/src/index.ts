export { ERASURE_NOTIFICATION_BASIS } from './amendments.js';
export { type Decision, decide, decideAll } from './decide.js';
export { explain } from './explain.js';
export { type AudienceFacts, type NoticeFacts, noticeFacts } from './facts.js';
export {
  factsFromHeader,
  factsWithOrigin,
  type OriginRecord,
  type PermissionCode,
  permissionOf,
} from './header-facts.js';
export {
  handlingRank,
  type InheritanceCode,
  inheritanceViolation,
  needsPermission,
  type OriginFacts,
  type PermissionFacts,
  permits,
  tlpRank,
} from './provenance.js';
export { REASON_CODES, REASONS, type ReasonCode } from './reasons.js';
export { type TwoStepCode, twoStepViolation } from './two-step.js';
