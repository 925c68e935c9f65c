export { agencyCrossings, agencyPermissions, type Crossing } from './agency-account.js';
export {
  administratorPermissions,
  auditLogPermissions,
  auditorPermissions,
  deadlinesPermissions,
  feedConsumers,
  gatePermissions,
  inboxPrefix,
  type Permissions,
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
