// The topology is data: these pin the shapes every other package and the broker's
// permissions rely on, and that ensureStreams is idempotent against a real server.
import { startServer } from '@liaison/testkit';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AUDIT_LOG_STREAMS,
  DEFAULT_PREFIX,
  ensureStreams,
  feedDurables,
  lastToken,
  STREAMS,
  Subjects,
  streamConfig,
  streamConfigs,
} from '../src/index.js';

describe('subjects', () => {
  it('puts every subject under the prefix, and the wildcards cover the concrete ones', () => {
    for (const prefix of [DEFAULT_PREFIX, 'xyz']) {
      const s = new Subjects(prefix);
      const all = [
        s.intake('a'),
        s.feed('a', 'k'),
        s.receipt('a', 'n'),
        s.ack('a'),
        s.auditIn('g'),
        s.auditLog,
        s.auditCheckpoint,
        s.auditLatest,
        s.auditInclusion,
        s.plan('a'),
        s.directory('at-bmi'),
        s.stationCheckpoint('at-bmi'),
        s.policy('t'),
      ];
      for (const x of all) expect(x.split('.')[0]).toBe(prefix);
      expect(lastToken(s.intake('at-bmi'))).toBe('at-bmi');
      expect(lastToken(s.receipt('at-bmi', 'n-1'))).toBe('n-1');
    }
  });

  it('binds each stream to its own subjects under the prefix', () => {
    const s = new Subjects('xyz');
    const bound = Object.fromEntries(streamConfigs({ prefix: 'xyz' }).map((c) => [c.name, c.subjects]));
    expect(bound).toEqual({
      [STREAMS.intake]: [s.intakeAll],
      [STREAMS.feed]: [s.feedAll],
      [STREAMS.receipts]: [s.receiptAll],
      [STREAMS.acks]: [s.ackAll],
      [STREAMS.auditIn]: [s.auditInAll],
      [STREAMS.audit]: [s.auditLog],
      [STREAMS.auditCheckpoints]: [s.auditCheckpoint],
      [STREAMS.policy]: [s.policyAll],
    });
  });

  it('names one feed durable per agency and one per kind', () => {
    const names = feedDurables('de-bka');
    expect(names[0]).toBe('feed-de-bka');
    expect(new Set(names).size).toBe(names.length);
  });

  it('keeps deliveries as long as configured and denies deleting the logs', () => {
    // FEED's age limit is a backstop a week past the delivery window (the retention service removes first).
    expect(streamConfig(STREAMS.feed, { feedMaxAgeDays: 2 }).max_age).toBe(9 * 86_400 * 1e9);
    expect(streamConfig(STREAMS.receipts, { feedMaxAgeDays: 2 }).max_age).toBe(2 * 86_400 * 1e9);
    // FEED: one message may be deleted (by the retention identity alone), never purged.
    expect(streamConfig(STREAMS.feed)).toMatchObject({ deny_delete: false, deny_purge: true });
    for (const name of [STREAMS.receipts, STREAMS.audit, STREAMS.auditCheckpoints, STREAMS.policy])
      expect(streamConfig(name)).toMatchObject({ deny_delete: true, deny_purge: true });
  });
});

describe('ensureStreams against a real server', async () => {
  const server = await startServer();
  const nc = await connect({ servers: server.url, noAsyncTraces: true });
  afterAll(async () => {
    await nc.close();
    await server.dispose();
  });

  it('creates only the streams asked for, keeps existing ones, and may run twice at once', async () => {
    const jsm = await jetstreamManager(nc);
    await Promise.all([ensureStreams(jsm, {}, AUDIT_LOG_STREAMS), ensureStreams(jsm, {}, AUDIT_LOG_STREAMS)]);
    const names = async () => (await jsm.streams.names().next()).sort();
    expect(await names()).toEqual([...AUDIT_LOG_STREAMS].sort());
    await jsm.streams.update(STREAMS.audit, { ...streamConfig(STREAMS.audit), max_msgs: 7 });
    await ensureStreams(jsm);
    expect(await names()).toEqual(Object.values(STREAMS).sort());
    expect((await jsm.streams.info(STREAMS.audit)).config.max_msgs).toBe(7); // kept as it was
  });
});
