import { ensureConsumer } from '@liaison/core';
import { NOTICE_KINDS } from '@liaison/notice';
import type { RegistrySnapshot } from '@liaison/registry';
import { feedDurable, STREAMS, Subjects } from '@liaison/topology';
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/**
 * Creates, from the operator's side, the durable consumers each agency reads its feed
 * through (the whole feed, and one per kind), pinned to its own feed subjects.
 * Agencies never create, change or delete a consumer; they pull from these through
 * their account's imports. Idempotent; `done` skips agencies already provisioned.
 */
export async function provisionConsumers(
  nc: NatsConnection,
  s: RegistrySnapshot,
  o: { prefix?: string; done?: Set<string> } = {},
): Promise<string[]> {
  const subjects = new Subjects(o.prefix);
  const made: string[] = [];
  for (const a of s.agencies.values()) {
    if (!a.roles.includes('subscriber') || o.done?.has(a.id)) continue;
    for (const kind of [undefined, ...NOTICE_KINDS]) {
      const name = feedDurable(a.id, kind);
      await ensureConsumer(nc, STREAMS.feed, {
        name,
        durable_name: name,
        filter_subject: subjects.feedFilter(a.id, kind),
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
      });
      made.push(name);
    }
    o.done?.add(a.id);
  }
  return made;
}
