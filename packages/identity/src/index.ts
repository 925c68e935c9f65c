export { connect } from './connect.js';
export {
  type ConnectionConfig,
  type ConnectionConfigInput,
  ConnectionConfigSchema,
  connectionFor,
  type IdentityConnection,
  serviceConnection,
} from './connection-config.js';
export { CredentialStore } from './credential-store.js';
export { IdentityError, type IdentityErrorCode } from './errors.js';
export { checkIdentity } from './identity-name.js';
export { type KeyKind, KeyStore } from './key-store.js';
export { assertPrivate, privateDir, writePrivate } from './private-files.js';
export { readServerFile, type ServerFile, ServerFileSchema, writeServerFile } from './server-file.js';
