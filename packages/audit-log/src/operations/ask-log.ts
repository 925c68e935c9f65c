import { findCause } from '@liaison/core';
import { errors, type NatsConnection } from '@nats-io/transport-node';
import { AuditError, auditErrorCode } from '../errors.js';

/** A request to the audit-log service; its error answers and silence become AuditErrors. */
export async function askLog<T>(
  nc: NatsConnection,
  subject: string,
  body: unknown,
  timeoutMs = 10_000,
): Promise<T> {
  let text: string;
  try {
    const data = body === undefined ? new Uint8Array(0) : new TextEncoder().encode(JSON.stringify(body));
    text = (await nc.request(subject, data, { timeout: timeoutMs })).string();
  } catch (err) {
    if (findCause(err, errors.NoRespondersError) || findCause(err, errors.TimeoutError))
      throw new AuditError('LOG_UNAVAILABLE', `the audit-log service did not answer on ${subject}`, {
        cause: err,
      });
    throw err;
  }
  const answer = JSON.parse(text) as T & { error?: { code: string; message: string } };
  if (answer.error) throw new AuditError(auditErrorCode(answer.error.code), answer.error.message);
  return answer;
}
