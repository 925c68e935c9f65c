export { KeyStore } from './keystore.js';
export { LiaisonClient, type ClientOptions, type FeedItem, type PlanRecipient } from './client.js';
export { ClientError, type ClientErrorCode } from './errors.js';
export { Directory } from './directory.js';
