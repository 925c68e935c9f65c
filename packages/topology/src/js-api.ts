/**
 * JetStream API subjects, as nats-server 2.9 checks them against permissions.
 * A `stream` or `consumer` may be a wildcard (`*`, `>`) where a permission covers many.
 */
/** The JetStream API's own prefix, where the exchange's account serves it. */
export const JS_API_PREFIX = '$JS.API';

/** Stream operations the permissions name. */
export type StreamOp = 'INFO' | 'CREATE' | 'UPDATE' | 'DELETE' | 'PURGE' | 'MSG.GET' | 'MSG.DELETE';
/** Consumer operations on a named consumer. */
export type ConsumerOp = 'INFO' | 'MSG.NEXT' | 'DELETE';

/**
 * The JetStream API subjects under a prefix: `$JS.API` in the exchange's account, or
 * the prefix an agency's account imports its few consumer subjects under
 * (`Subjects.agencyJsApi`).
 */
export function jetStreamApi(API: string = JS_API_PREFIX) {
  return {
    /** The prefix itself (for a client's `apiPrefix`). */
    prefix: API,
    /** Account info: every client's first request. */
    info: `${API}.INFO`,
    /** Every API subject. */
    all: `${API}.>`,
    /** Every stream operation. */
    streamAll: `${API}.STREAM.>`,
    /** `$JS.API.STREAM.<op>.<stream>` */
    stream(op: StreamOp, stream: string): string {
      return `${API}.STREAM.${op}.${stream}`;
    },
    /** `$JS.API.CONSUMER.CREATE.<stream>.<name>.<filter>`: name and filter pinned in the subject (2.9). */
    consumerCreate(stream: string, name: string, filter?: string): string {
      return `${API}.CONSUMER.CREATE.${stream}.${name}${filter === undefined ? '' : `.${filter}`}`;
    },
    /** `$JS.API.CONSUMER.DURABLE.CREATE.<stream>.<name>` (the older form, no filter in the subject). */
    durableCreate(stream: string, name?: string): string {
      return `${API}.CONSUMER.DURABLE.CREATE.${stream}${name === undefined ? '' : `.${name}`}`;
    },
    /** `$JS.API.CONSUMER.<op>.<stream>.<consumer>` */
    consumer(op: ConsumerOp, stream: string, consumer: string): string {
      return `${API}.CONSUMER.${op}.${stream}.${consumer}`;
    },
    /** `$JS.API.CONSUMER.LIST.<stream>` / `NAMES`: which consumers a stream has. */
    consumerList(which: 'LIST' | 'NAMES', stream: string): string {
      return `${API}.CONSUMER.${which}.${stream}`;
    },
    /** `$JS.API.DIRECT.GET.<stream>` (and `.<subject>` with a last-by-subject get). */
    directGet(stream: string, subject?: string): string {
      return `${API}.DIRECT.GET.${stream}${subject === undefined ? '' : `.${subject}`}`;
    },
  };
}

/** The JetStream API subjects of the exchange's account. */
export const jsApi = jetStreamApi();

/** `$JS.ACK.<stream>.<consumer>.>`: where a consumer's messages are acknowledged (all consumers if none named). */
export function ackSubjects(stream: string, consumer?: string): string {
  return `$JS.ACK.${stream}${consumer === undefined ? '' : `.${consumer}`}.>`;
}
