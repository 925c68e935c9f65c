export { agencyCrossings, agencyPermissions, type Crossing } from './agency-account.js';
export {
  LeafPasswords,
  type SiteConfig,
  type SiteConfigOptions,
  siteConfig,
  sitePermissions,
} from './leaf-site.js';
export { leafUserFor, noAuthGuard } from './leaf-users.js';
export {
  auditLogPermissions,
  deadlinesPermissions,
  feedConsumers,
  gatePermissions,
  inboxPrefix,
  logReaderPermissions,
  type Permissions,
  retentionPermissions,
} from './permissions.js';
export { provisionConsumers } from './provision.js';
export {
  administratorCrossings,
  administratorPermissions,
  auditorCrossings,
  auditorPermissions,
  readerAccountPermissions,
} from './reader-accounts.js';
export {
  accountsBlock,
  accountsShape,
  type BrokerAccount,
  type BrokerConfigOptions,
  type BrokerUser,
  brokerAccounts,
  brokerUsers,
  operatorOnlyBlock,
} from './server-config.js';
export { BrokerSync, type BrokerSyncOptions } from './sync.js';
