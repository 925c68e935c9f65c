export { Forwarder, type ForwarderOptions, type ForwarderStats } from './forwarder.js';
export { ensureOutbox, outboxDepth } from './outbox.js';
