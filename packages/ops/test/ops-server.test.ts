import { createLogger } from '@liaison/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  Counter,
  mirroredCounter,
  OPS_HOST,
  OpsEnv,
  type OpsServer,
  opsSettingsFrom,
  readinessOf,
  serveOps,
  serviceRegistry,
} from '../src/index.js';

const logger = createLogger('ops-test', { level: 'silent' });
const open: OpsServer[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

async function serve(ready: Record<string, () => boolean> = {}) {
  const registry = serviceRegistry('test', 'test-1');
  const server = await serveOps({ port: 0, registry, logger, ready: readinessOf(ready) });
  open.push(server);
  return { registry, server };
}

describe('the metrics and probe server', () => {
  it('binds 127.0.0.1 only and answers /healthz, /readyz and /metrics', async () => {
    let ok = false;
    const { registry, server } = await serve({ connected: () => true, evidence: () => ok });
    expect(server.url).toBe(`http://${OPS_HOST}:${server.port}`);
    new Counter({ name: 'liaison_test_total', help: 'test', registers: [registry] }).inc(3);

    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const notReady = await fetch(`${server.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ ready: false, checks: { connected: true, evidence: false } });
    ok = true;
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('liaison_test_total{service="test",instance="test-1"} 3');
    expect(metrics).toMatch(/liaison_process_cpu_user_seconds_total/);
    expect((await fetch(`${server.url}/other`)).status).toBe(404);
    expect((await fetch(`${server.url}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('a check that throws is a failed check, not a failed probe', async () => {
    const { server } = await serve({
      streams: () => {
        throw new Error('stream not found');
      },
    });
    const r = await fetch(`${server.url}/readyz`);
    expect(r.status).toBe(503);
    expect(await r.json()).toEqual({ ready: false, checks: { streams: false } });
  });

  it('a port in use is METRICS_PORT_UNAVAILABLE', async () => {
    const { server } = await serve();
    const second = serveOps({
      port: server.port,
      registry: serviceRegistry('test'),
      logger,
      ready: readinessOf({}),
    });
    await expect(second).rejects.toMatchObject({ code: 'METRICS_PORT_UNAVAILABLE' });
  });

  it('mirrors a running total as a counter', async () => {
    let closures = 0;
    const registry = serviceRegistry('test');
    mirroredCounter(registry, 'liaison_test_closures_total', 'test', () => closures);
    closures = 2;
    expect(await registry.metrics()).toContain('liaison_test_closures_total{service="test"} 2');
    closures = 5;
    expect(await registry.metrics()).toContain('liaison_test_closures_total{service="test"} 5');
  });
});

describe('LIAISON_METRICS_PORT', () => {
  it('is off by default and off at 0', () => {
    const schema = OpsEnv.LIAISON_METRICS_PORT;
    expect(opsSettingsFrom({ LIAISON_METRICS_PORT: schema.parse(undefined) })).toEqual({});
    expect(opsSettingsFrom({ LIAISON_METRICS_PORT: schema.parse('0') })).toEqual({});
    expect(opsSettingsFrom({ LIAISON_METRICS_PORT: schema.parse('9464') })).toEqual({ metricsPort: 9464 });
    expect(schema.safeParse('70000').success).toBe(false);
  });
});
