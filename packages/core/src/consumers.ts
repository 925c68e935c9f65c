import {
  type ConsumeOptions,
  type Consumer,
  type ConsumerConfig,
  type ConsumerMessages,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { isTransientJetStreamError, retryTransient } from './retry.js';

type Connection = Parameters<typeof jetstreamManager>[0];

const alreadyExists = (err: unknown): boolean => /already (exists|in use)/i.test(String(err));

/**
 * Creates (or finds) a consumer by name and returns it, riding out a cluster's
 * leader election: a transient failure of either step is retried, and so is a
 * "consumer not found" right after creation (a replicated consumer can answer its
 * first info request before its own leader is elected). A consumer that already
 * exists under this name is used as it is; every other error is thrown, so a
 * caller never ends up reading from a consumer that is not there.
 */
export async function ensureConsumer(
  nc: Connection,
  stream: string,
  config: Partial<ConsumerConfig> & ({ durable_name: string } | { name: string }),
): Promise<Consumer> {
  const name = 'durable_name' in config ? config.durable_name : config.name;
  const jsm = await retryTransient(() => jetstreamManager(nc, { checkAPI: false }));
  await retryTransient(async () => {
    try {
      await jsm.consumers.add(stream, config);
    } catch (err) {
      if (!alreadyExists(err)) throw err;
    }
  });
  const js = jetstream(nc);
  return retryTransient(() => js.consumers.get(stream, name), {
    attempts: 30,
    isTransient: (err) => isTransientJetStreamError(err) || /consumer not found/i.test(String(err)),
  });
}

/**
 * How long one pull request waits at the server. The client notices a lost pull (its
 * consumer's leader died with it) only after two missed idle heartbeats, and the
 * heartbeat is half of this: with the client's default of 30 s a service stalled for
 * 30–45 s after the node leading its consumer was killed (docs/exchange.md, "Failover").
 */
export const PULL_EXPIRES_MS = 5000;

/**
 * `ensureConsumer` for a durable consumer, then consuming it, with pull requests that
 * expire after `PULL_EXPIRES_MS` (unless `options.expires` says otherwise) so that a
 * consumer whose leader moved is pulled from again within seconds.
 */
export async function consumeDurable(
  nc: Connection,
  stream: string,
  config: Partial<ConsumerConfig> & { durable_name: string },
  options: ConsumeOptions = {},
): Promise<ConsumerMessages> {
  return (await ensureConsumer(nc, stream, config)).consume({ expires: PULL_EXPIRES_MS, ...options });
}
