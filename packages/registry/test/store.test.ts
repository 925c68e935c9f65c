import { randomUUID } from 'node:crypto';
import { type AgencyKeys, generateAgencyKeys } from '@liaison/envelope';
import { DEMO_AGENCIES, DEMO_AGREEMENTS } from '@liaison/fixtures';
import { startServer } from '@liaison/testkit';
import { STREAMS, Subjects } from '@liaison/topology';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreementAt, PolicyStore, RegistryError, seedDirectory } from '../src/index.js';
import { makeAdmins, T0 } from './fixtures.js';

const t = new Subjects();

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.dispose();
});

describe('PolicyStore on JetStream', () => {
  it('stores signed events append-only and rebuilds the same registry from the stream', async () => {
    const nc = await connect({ servers: server.url });
    const admins = await makeAdmins();
    const anchors = [admins[0]!.key.record.kid];
    const keys = new Map<string, AgencyKeys>();
    for (const a of DEMO_AGENCIES.slice(0, 4))
      keys.set(a.id, await generateAgencyKeys(a.id, { notBefore: T0 }));
    const store = await PolicyStore.open(nc, { anchors });
    await seedDirectory(store.registry, (jws) => store.append(jws), {
      origin: 'liaison-test',
      admins,
      agencies: DEMO_AGENCIES.slice(0, 4),
      keys,
      agreements: DEMO_AGREEMENTS,
      at: T0,
    });
    const head = store.registry.current.head;

    const other = await PolicyStore.open(nc, { anchors });
    expect(other.registry.current.head).toBe(head);
    expect(other.registry.current.revision).toBe(store.registry.current.revision);
    expect(agreementAt(other.registry.current, 'US', T0)?.level).toBe('operational');

    // The record cannot be erased.
    const jsm = await jetstreamManager(nc);
    await expect(jsm.streams.purge(STREAMS.policy)).rejects.toThrow();
    await expect(jsm.streams.deleteMessage(STREAMS.policy, 2)).rejects.toThrow();
    expect((await jsm.streams.info(STREAMS.policy)).state.messages).toBe(store.registry.current.revision);

    // A forged event written straight into the stream is refused by every reader.
    await jetstream(nc).publish(t.policy('agency-added'), new TextEncoder().encode('{"forged":true}'));
    const third = await PolicyStore.open(nc, { anchors });
    expect(third.registry.current.head).toBe(head);
    expect(third.rejected).toEqual([{ seq: store.registry.current.revision + 1, code: 'INVALID_EVENT' }]);

    // A refused event is not published at all.
    const single = await store.registry.prepare(
      'agreement-approved',
      { proposalId: '00000000-0000-4000-8000-000000000000' },
      admins[0]!,
    );
    await expect(store.append(single)).rejects.toBeInstanceOf(RegistryError);
    await nc.close();
  });

  it('refuses a writer whose view is stale (expected last sequence)', async () => {
    const nc = await connect({ servers: server.url });
    const admins = await makeAdmins();
    const anchors = [admins[0]!.key.record.kid];
    const a = await PolicyStore.open(nc, { anchors, stream: 'POLICY2', prefix: 'two' });
    await a.append(
      await a.registry.prepare(
        'registry-created',
        {
          origin: 'x',
          administrators: admins.map((x) => ({
            id: x.id,
            key: { jwk: { kty: 'OKP', crv: 'Ed25519', x: String(x.key.record.jwk.x) }, notBefore: T0 },
          })),
        },
        admins[0]!,
      ),
    );
    const b = await PolicyStore.open(nc, { anchors, stream: 'POLICY2', prefix: 'two' });
    const agency = (id: string) => ({
      proposalId: randomUUID(),
      change: {
        type: 'agency-added' as const,
        keys: [],
        agency: {
          id,
          name: id,
          country: 'AT',
          kind: 'member-state-authority' as const,
          roles: ['publisher' as const],
        },
      },
    });
    const one = agency('at-one');
    const fromA = await a.registry.prepare('change-proposed', one, admins[0]!);
    const fromB = await b.registry.prepare('change-proposed', agency('at-two'), admins[1]!);
    await a.append(fromA);
    const code = await b.append(fromB).then(
      () => 'APPLIED',
      (e) => (e as RegistryError).code,
    );
    expect(code).toBe('OUT_OF_ORDER');
    expect(b.registry.current.changes.has(one.proposalId)).toBe(true);
    expect(b.registry.current.changes.size).toBe(1);
    await nc.close();
  });
});
