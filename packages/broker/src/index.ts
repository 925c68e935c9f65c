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
  administratorPermissions,
  auditLogPermissions,
  auditorPermissions,
  deadlinesPermissions,
  feedConsumers,
  gatePermissions,
  inboxPrefix,
  type Permissions,
  retentionPermissions,
} from './permissions.js';
export { provisionConsumers } from './provision.js';
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
