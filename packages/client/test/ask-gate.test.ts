// The SDK's questions to the gate survive a gate that is not subscribed yet (a gate
// reconnecting after a broker restart). Against a real nats-server.
import { startServer } from '@liaison/testkit';
import { connect } from '@nats-io/transport-node';
import { afterAll, describe, expect, it } from 'vitest';
import { askGate } from '../src/ask-gate.js';

const server = await startServer();
const nc = await connect({ servers: server.url });
const gate = await connect({ servers: server.url });

afterAll(async () => {
  await gate.close();
  await nc.close();
  await server.dispose();
});

describe('askGate', () => {
  it('asks again until a gate that subscribes late answers', async () => {
    const asking = askGate(nc, 'gate.plan.test', new TextEncoder().encode('q'), { attemptMs: 300 });
    await new Promise((r) => setTimeout(r, 700)); // no responder for the first attempts
    gate.subscribe('gate.plan.test', {
      callback: (_e, m) => {
        m.respond(new TextEncoder().encode('signed plan'));
      },
    });
    expect(await asking).toBe('signed plan');
  });

  it('gives up with the last error once the total time is spent', async () => {
    const started = Date.now();
    await expect(
      askGate(nc, 'gate.nobody', new Uint8Array(0), { attemptMs: 200, totalMs: 800 }),
    ).rejects.toThrow(/no responders|timeout|503/i);
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
  });
});
