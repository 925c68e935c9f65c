import { existsSync } from 'node:fs';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { findNatsServer, startServer, TestkitError } from '../src/index.js';

describe('startServer', () => {
  it('starts a real JetStream server on a free loopback port and tears it down', async () => {
    const server = await startServer();
    const pid = server.pid!;
    expect(server.port).not.toBe(4222);
    expect(server.url).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);

    const nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'T', subjects: ['t.>'] });
    const js = jetstream(nc);
    for (let i = 0; i < 10; i++)
      await js.publish(`t.${i}`, new TextEncoder().encode(`m${i}`), { msgID: `id-${i}` });
    const dup = await js.publish('t.0', new TextEncoder().encode('m0'), { msgID: 'id-0' });
    expect(dup.duplicate).toBe(true);

    await jsm.consumers.add('T', { durable_name: 'c', ack_policy: AckPolicy.Explicit });
    const consumer = await js.consumers.get('T', 'c');
    const batch = await consumer.fetch({ max_messages: 20, expires: 1000 });
    const got: string[] = [];
    for await (const m of batch) {
      got.push(m.string());
      m.ack();
    }
    expect(got).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
    await nc.close();

    await server.dispose();
    expect(existsSync(server.dir)).toBe(false);
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('supports await using', async () => {
    let pid = 0;
    {
      await using server = await startServer();
      pid = server.pid!;
      expect(() => process.kill(pid, 0)).not.toThrow();
    }
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('restarts on the same port and keeps the JetStream store', async () => {
    await using server = await startServer();
    let nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'KEEP', subjects: ['keep'] });
    await jetstream(nc).publish('keep', new Uint8Array([1]));
    await nc.close();
    await server.kill();
    expect(server.running).toBe(false);
    await server.restart();
    nc = await connect({ servers: server.url });
    const info = await (await jetstreamManager(nc)).streams.info('KEEP');
    expect(info.state.messages).toBe(1);
    await nc.close();
  });

  it('explains how to install nats-server when it is missing', () => {
    try {
      findNatsServer({ PATH: '/nonexistent' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(TestkitError);
      expect((err as TestkitError).code).toBe('NATS_SERVER_NOT_FOUND');
      expect((err as Error).message).toContain('apt-get install -y nats-server');
    }
    expect(() => findNatsServer({ NATS_SERVER_BIN: '/nonexistent/nats-server' })).toThrow(/NATS_SERVER_BIN/);
  });
});
