// AUDIT_IN is created by whichever of the gate and the audit log starts first. It
// has one definition (in @liaison/topology); these tests hold that both services
// really create it from there — the same stream config in either order.
import { AuditLogService } from '@liaison/audit-log';
import { generateAgencyKeys } from '@liaison/envelope';
import { Gate } from '@liaison/gate';
import { startServer } from '@liaison/testkit';
import { AUDIT_LOG_STREAMS, GATE_STREAMS, STREAMS, type StreamName, streamConfigs } from '@liaison/topology';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';

describe('one definition per stream', () => {
  it('defines every stream exactly once, AUDIT_IN in both services’ sets', () => {
    const names = streamConfigs().map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual(Object.values(STREAMS).sort());
    expect(GATE_STREAMS).toContain(STREAMS.auditIn);
    expect(AUDIT_LOG_STREAMS).toContain(STREAMS.auditIn);
  });

  it('puts every stream under the configured prefix', () => {
    for (const c of streamConfigs({ prefix: 'other', replicas: 3 })) {
      expect(c.num_replicas).toBe(3);
      for (const s of c.subjects ?? []) expect(s.startsWith('other.')).toBe(true);
    }
  });
});

type Start = 'gate' | 'audit-log';

/** The stored configs of the services' streams after starting them in one order, on a fresh server. */
async function configsAfter(order: Start[]): Promise<Map<StreamName, unknown>> {
  const server = await startServer();
  const nc = await connect({ servers: server.url, noAsyncTraces: true });
  const stops: (() => Promise<void>)[] = [];
  try {
    for (const which of order) {
      if (which === 'gate') {
        const gate = await Gate.start({
          nc,
          keys: await generateAgencyKeys('liaison-gate', { notBefore: Date.now() }),
          anchors: [],
        });
        stops.push(() => gate.stop());
      } else {
        const log = await AuditLogService.start({
          nc,
          keys: await generateAgencyKeys('liaison-audit-log', { notBefore: Date.now() }),
        });
        stops.push(() => log.stop());
      }
    }
    const jsm = await jetstreamManager(nc);
    const out = new Map<StreamName, unknown>();
    for (const name of new Set([...GATE_STREAMS, ...AUDIT_LOG_STREAMS])) {
      out.set(name, (await jsm.streams.info(name)).config);
    }
    return out;
  } finally {
    for (const stop of stops.reverse()) await stop();
    await nc.close();
    await server.dispose();
  }
}

describe('AUDIT_IN, created by whichever service starts first', () => {
  it('ends up the same whether the gate or the audit log starts first', async () => {
    const gateFirst = await configsAfter(['gate', 'audit-log']);
    const logFirst = await configsAfter(['audit-log', 'gate']);
    expect(gateFirst.get(STREAMS.auditIn)).toEqual(logFirst.get(STREAMS.auditIn));
    expect(gateFirst).toEqual(logFirst);
  });
});
