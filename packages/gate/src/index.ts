export {
  DEFAULT_SETTINGS,
  DEFAULT_SITE_MAX_AGE_MS,
  type GateConfig,
  GateConfigSchema,
  type GateSettings,
  settingsFrom,
} from './config.js';
export { type PlanRequest, PlanRequestSchema } from './endpoints.js';
export { GateError, type GateErrorCode } from './errors.js';
export {
  DEFAULT_EVIDENCE,
  type EvidenceHealth,
  type EvidenceReason,
  type EvidenceSettings,
} from './evidence-guard.js';
export { checkFreshness, checkFreshnessSettings, routeOf, type SubmissionRoute } from './freshness.js';
export { Gate, type GateOptions } from './gate.js';
export type { Outcome } from './process-submission.js';
export { type GateRunConfig, gateConfigFromEnv, type RunningGate, type RunOptions, runGate } from './run.js';
export { DIRECTORY_TYP, PLAN_TYP } from './statements.js';
