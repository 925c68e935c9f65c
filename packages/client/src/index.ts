export type { AmendmentConfirmation, ErasureRequestOptions } from './amendments.js';
export {
  type ClientOptions,
  type FeedItem,
  LiaisonClient,
  type PlanRecipient,
  sealRecipientsOf,
} from './client.js';
export { Directory } from './directory.js';
export { ClientError, type ClientErrorCode } from './errors.js';
