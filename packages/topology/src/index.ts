export { accountOf, adminAccountOf, EXCHANGE_ACCOUNT, isReplySpace, SERVICE_RESPONSES } from './accounts.js';
export {
  DURABLES,
  feedDurable,
  feedDurables,
  receiptConsumerName,
  replayConsumerName,
} from './consumers.js';
export { ackSubjects, type ConsumerOp, JS_API_PREFIX, jetStreamApi, jsApi, type StreamOp } from './js-api.js';
export {
  DEFAULT_TOPOLOGY,
  DUPLICATE_WINDOW_NS,
  deliveriesBucketOptions,
  FEED_BACKSTOP_GRACE_MS,
  feedBackstopNs,
  feedMaxAgeNs,
  retentionBucketOptions,
  type TopologySettings,
} from './retention.js';
export {
  deliveryWindowMs,
  RETENTION_CLASSES,
  type RetentionClass,
  type RetentionFacts,
  type RetentionSchedule,
  retentionClassOf,
  retentionSchedule,
} from './retention-classes.js';
export {
  FORWARDER_DURABLE,
  leafUserOf,
  NO_AUTH_ACCOUNT,
  NO_AUTH_USER,
  OUTBOX_STORED_AT_HEADER,
  outboxStreamConfig,
  outboxSubject,
  SITE_STREAMS,
  siteDomain,
} from './site.js';
export { ensureStreams, type StreamDefinition, streamConfig, streamConfigs } from './stream-configs.js';
export {
  AUDIT_LOG_STREAMS,
  DELIVERIES_BUCKET,
  GATE_STREAMS,
  kvKeySubject,
  kvStreamName,
  kvSubjects,
  READABLE_STREAMS,
  RETENTION_BUCKET,
  STREAMS,
  type StreamName,
} from './streams.js';
export { DEFAULT_PREFIX, inboxOf, inboxPrefix, lastToken, Subjects } from './subjects.js';
