// The gate's one write per submission: claiming a notice id for an intake message
// and recording whom it is delivered to. Against a real nats-server KV bucket.
import { startServer } from '@liaison/testkit';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import { afterAll, describe, expect, it } from 'vitest';
import { DeliveryLedger } from '../src/delivery-ledger.js';

const server = await startServer();
const nc = await connect({ servers: server.url });
const kv = await new Kvm(nc).create('LEDGER_TEST', { ttl: 60_000 });
const ledger = new DeliveryLedger(kv);
const HEADER = 'ab'.repeat(32);
const record = (recipients: string[]) => ({ sender: 'at-bmi', headerSha256: HEADER, recipients });

afterAll(async () => {
  await nc.close();
  await server.dispose();
});

describe('the delivery ledger', () => {
  it('lets the first intake message claim a notice id and records its recipients', async () => {
    await ledger.claim('n-1', 10, record(['de-bka', 'fi-raja']));
    expect(await ledger.lookup('n-1')).toEqual(record(['de-bka', 'fi-raja']));
  });

  it('refuses the same notice id from another intake message as REPLAYED, and keeps the first record', async () => {
    await ledger.claim('n-2', 20, record(['de-bka']));
    const other = { ...record(['ru-mvd']), headerSha256: 'cd'.repeat(32) };
    await expect(ledger.claim('n-2', 21, other)).rejects.toMatchObject({ code: 'REPLAYED' });
    await expect(ledger.claim('n-2', 22, { ...record(['de-bka']), sender: 'ru-mvd' })).rejects.toMatchObject({
      code: 'REPLAYED',
    });
    expect(await ledger.lookup('n-2')).toEqual(record(['de-bka']));
  });

  it('tells the same sender’s same header in another intake message (a retry after the intake window) as RESUBMITTED', async () => {
    await ledger.claim('n-5', 50, record(['de-bka']));
    await expect(ledger.claim('n-5', 51, record(['de-bka']))).rejects.toMatchObject({ code: 'RESUBMITTED' });
    expect(await ledger.lookup('n-5')).toEqual(record(['de-bka']));
  });

  it('accepts its own redelivery, keeping every recipient either attempt delivered to', async () => {
    await ledger.claim('n-3', 30, record(['de-bka', 'fi-raja']));
    await ledger.claim('n-3', 30, record(['de-bka', 'fi-raja'])); // same decision again
    expect(await ledger.lookup('n-3')).toEqual(record(['de-bka', 'fi-raja']));
    await ledger.claim('n-3', 30, record(['de-bka', 'nl-piu'])); // the policy changed in between
    expect(await ledger.lookup('n-3')).toEqual(record(['de-bka', 'fi-raja', 'nl-piu']));
  });

  it('lets exactly one of several concurrent claims with different intake messages win', async () => {
    const results = await Promise.allSettled(
      [40, 41, 42, 43].map((seq) =>
        ledger.claim('n-4', seq, { ...record([`r-${seq}`]), headerSha256: String(seq).repeat(32) }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const winner = (await ledger.lookup('n-4'))!.recipients;
    expect(winner).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'REPLAYED' });
  });

  it('reads nothing it cannot trust: an unknown id, or a value that is not a ledger record', async () => {
    expect(await ledger.lookup('n-none')).toBeUndefined();
    await kv.put('n-5', new TextEncoder().encode('not json'));
    expect(await ledger.lookup('n-5')).toBeUndefined();
    await expect(ledger.claim('n-5', 50, record([]))).rejects.toMatchObject({ code: 'REPLAYED' });
  });

  it('lets one read receipt per recipient through, the same ack message again, and refuses the undelivered', async () => {
    await ledger.claim('n-6', 60, record(['de-bka', 'fi-raja']));
    const read = (recipient: string) => ({ sender: 'at-bmi', recipient, headerSha256: HEADER });
    // Four different ack messages of one recipient at once: exactly one wins.
    const verdicts = await Promise.all(
      [70, 71, 72, 73].map((seq) => ledger.claimRead('n-6', read('de-bka'), seq)),
    );
    expect(verdicts.filter((v) => v === 'relay')).toHaveLength(1);
    expect(verdicts.filter((v) => v === 'repeat')).toHaveLength(3);
    const winner = 70 + verdicts.indexOf('relay');
    expect(await ledger.claimRead('n-6', read('de-bka'), winner)).toBe('relay'); // redelivered after a crash
    expect(await ledger.claimRead('n-6', read('fi-raja'), 80)).toBe('relay'); // another recipient
    expect(await ledger.claimRead('n-6', read('ru-mvd'), 81)).toBe('not-delivered');
    expect(await ledger.claimRead('n-6', { ...read('fi-raja'), sender: 'nl-piu' }, 82)).toBe('not-delivered');
    expect(await ledger.claimRead('n-none', read('de-bka'), 83)).toBe('not-delivered');
    // The record still answers for the deliveries.
    expect(await ledger.lookup('n-6')).toEqual(record(['de-bka', 'fi-raja']));
  });
});
