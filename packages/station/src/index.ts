export {
  type AccessAction,
  type AccessEntry,
  AccessLog,
  type AccessQuery,
  type LifecyclePurpose,
  type LifecycleRecord,
  type SignedEntry,
  SYSTEM_ACTOR,
  verifyEntrySignature,
} from './access-log.js';
export { type Checkpoint, openCheckpoint, stationOrigin } from './checkpoint.js';
export { type StationConfig, StationConfigSchema, type StationEnv, stationConfigFromEnv } from './config.js';
export { type Db, openDb } from './db.js';
export { StationError, type StationErrorCode } from './errors.js';
export { Inbox, type InboxEntry, type InboxFilter, InboxFilterSchema } from './inbox.js';
export { InboxCipher, inboxKey, rewrapInboxKey } from './inbox-crypto.js';
export {
  type LifecycleState,
  LifecycleStore,
  type NoticeLifecycle,
  scheduleOf,
} from './lifecycle/lifecycle-store.js';
export { type KeySlot, NoticeKeys } from './lifecycle/notice-keys.js';
export {
  type AmendmentFacts,
  type AmendmentOutcome,
  type Authorisation,
  AuthorisationSchema,
  type RetentionSweep,
  type ReviewDecision,
  ReviewDecisionSchema,
  type ReviewLine,
  StationLifecycle,
} from './lifecycle/station-lifecycle.js';
export { LogCheckpointer, type RecordedCheckpoint } from './log-checkpointer.js';
export { DEFAULT_LOCKOUT, type LockoutPolicy, type NewOfficer, type Officer, Officers } from './officers.js';
export { Outbox, type OutboxEntry } from './outbox.js';
export { DEFAULT_COST, hashPassword, type ScryptCost, verifyPassword } from './passwords.js';
export {
  type DraftProblem,
  type Preview,
  Publisher,
  type SentDraft,
  type SitePublishing,
} from './publishing.js';
export { can, type Permission, PURPOSES, type Purpose, ROLES, type Role } from './roles.js';
export { type RunningStation, type RunStationOptions, runStation } from './run-station.js';
export { bodyFromForm, type FormField, type FormProblem, formFields, formValues } from './schema-form.js';
export { DEFAULT_SESSIONS, type SessionPolicy, Sessions } from './sessions.js';
export {
  confirmQueued,
  DEFAULT_STATION_SITE,
  StationSite,
  type StationSiteOptions,
  type StationSiteSettings,
  siteClientOptions,
} from './site.js';
export { StoredPlanCache } from './site-plans.js';
export { type Justification, Station, type StationOptions } from './station.js';
export { type Provenance, type StoredNotice, toStored } from './stored-notice.js';
export { type AuditorBackend, auditorBackend } from './web/audit/auditor-backend.js';
export { type AuditorConsoleOptions, buildAuditorConsole } from './web/audit/auditor-console.js';
export { buildConsole, type ConsoleOptions } from './web/console.js';
