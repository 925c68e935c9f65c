// Several waiters for one notice's receipt (a station's publish still waiting, and its
// confirmer looking the notice up) each get it. Against a real nats-server.
import { startServer } from '@liaison/testkit';
import { connect } from '@nats-io/transport-node';
import { afterAll, describe, expect, it } from 'vitest';
import { ReceiptWatcher } from '../src/receipt-watcher.js';

const server = await startServer();
const nc = await connect({ servers: server.url });

afterAll(async () => {
  await nc.close();
  await server.dispose();
});

const jws = (payload: object) => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2ln`;

describe('the receipt watcher', () => {
  it('hands one receipt to every waiter of its notice', async () => {
    // The gate's receipts query, answering that nothing is stored.
    nc.subscribe('test.receipts-query', {
      callback: (_e, m) => {
        m.respond('{"receipts":[]}');
      },
    });
    const watcher = await ReceiptWatcher.start(nc, 'test.receipt.>', 'test.receipts-query');
    const first = watcher.waitFor('n-1', 5000);
    const second = watcher.waitFor('n-1', 5000);
    const receipt = jws({ type: 'submission', noticeId: 'n-1' });
    nc.publish('test.receipt.n-1', receipt);
    expect(await Promise.all([first, second])).toEqual([receipt, receipt]);
    // A later waiter after the first timed out is not disturbed by it.
    const short = watcher.waitFor('n-2', 50);
    const long = watcher.waitFor('n-2', 5000);
    await expect(short).rejects.toMatchObject({ code: 'RECEIPT_TIMEOUT' });
    const late = jws({ type: 'submission', noticeId: 'n-2' });
    nc.publish('test.receipt.n-2', late);
    expect(await long).toBe(late);
    await watcher.stop();
  });
});
