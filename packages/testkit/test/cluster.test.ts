import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { type NatsCluster, retryTransient, sleep, startCluster } from '../src/index.js';

const N = 300;
const KILL_AT = 100;
const RESTART_AT = 200;

describe('3-node cluster', () => {
  it('keeps every message exactly once when the stream leader is killed mid-publish', async () => {
    await using cluster: NatsCluster = await startCluster();
    expect(cluster.servers).toHaveLength(3);
    const nc = await connect({ servers: cluster.urls, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    try {
      const jsm = await retryTransient(() => jetstreamManager(nc));
      await retryTransient(() =>
        jsm.streams.add({
          name: 'R3',
          subjects: ['r3.>'],
          num_replicas: 3,
          duplicate_window: 120_000_000_000,
        }),
      );
      const js = jetstream(nc, { timeout: 2000 });
      // Right after creation the stream may not have elected its leader yet.
      const leaderName = await retryTransient(async () => {
        const leader = (await jsm.streams.info('R3')).cluster?.leader;
        if (!leader) throw new Error('timeout: no stream leader yet');
        return leader;
      });
      expect(leaderName).toBeTruthy();
      const leader = cluster.node(leaderName!);

      let retries = 0;
      for (let i = 0; i < N; i++) {
        if (i === KILL_AT) await leader.kill();
        if (i === RESTART_AT) await leader.restart();
        const data = new TextEncoder().encode(`message-${i}`);
        await retryTransient(() => js.publish(`r3.${i % 7}`, data, { msgID: `msg-${i}` }), {
          isTransient: (err) => {
            retries++;
            return /jetstream|timeout|leader|unavailable|no responders|disconnect|closed|peer/i.test(
              String(err),
            );
          },
        });
      }
      expect(leader.running).toBe(true);

      // Wait for the restarted node to catch up, then read the whole stream back.
      const info = await retryTransient(async () => {
        const i = await jsm.streams.info('R3');
        if (i.state.messages !== N) throw new Error(`timeout: only ${i.state.messages} so far`);
        return i;
      });
      expect(info.state.messages).toBe(N);

      const seen = new Map<string, number>();
      const consumer = await retryTransient(() => js.consumers.get('R3'));
      const messages = await consumer.fetch({ max_messages: N, expires: 5000 });
      for await (const m of messages) {
        seen.set(m.string(), (seen.get(m.string()) ?? 0) + 1);
        if (seen.size === N) break;
      }
      expect(seen.size).toBe(N);
      for (let i = 0; i < N; i++) expect(seen.get(`message-${i}`)).toBe(1);
      expect(retries).toBeGreaterThanOrEqual(0);
    } finally {
      await nc.close();
    }
    await sleep(0);
  });
});
