export {
  administratorPermissions,
  agencyPermissions,
  auditLogPermissions,
  auditorPermissions,
  feedConsumers,
  gatePermissions,
  type Permissions,
} from './permissions.js';
export {
  authorizationBlock,
  type BrokerConfigOptions,
  type BrokerUser,
  brokerUsers,
} from './server-config.js';
export { BrokerSync, type BrokerSyncOptions } from './sync.js';
