// Opening is not acknowledging, and replay needs no consumer: against the default
// (locked-down) exchange, a recipient settles a delivery without a read receipt (no
// redelivery, nothing read at the sender), sends the signed receipt later with a
// reference to its access-log entry (relayed unchanged, audited, verified), and reads
// its stored deliveries back from a time through the gate — batch by batch, each
// verified like a live one, a strategic partner's still without a personal field.
import { exampleNotices } from '@liaison/fixtures';
import { Sandbox } from '@liaison/sandbox';
import { feedDurable, STREAMS, Subjects } from '@liaison/topology';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const t = new Subjects();
const enc = new TextEncoder();
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await Sandbox.start();
});
afterAll(async () => {
  await sandbox?.dispose();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('settling a delivery and sending the read receipt are two things', () => {
  it('settle() acks without a receipt; sendReadReceipt() later names the reader, relayed unchanged', async () => {
    const bmi = await sandbox.client('at-bmi');
    const bka = await sandbox.client('de-bka');
    const receipt = await bmi.publish(exampleNotices().borderAlert, { recipients: ['de-bka'] });
    const ctrl = new AbortController();
    let item: Awaited<ReturnType<typeof bka.feed>> extends AsyncGenerator<infer I> ? I : never;
    for await (const i of bka.feed({ signal: ctrl.signal })) {
      if (i.notice.noticeId !== receipt.noticeId) {
        await i.settle();
        continue;
      }
      item = i;
      break;
    }
    ctrl.abort();
    await item!.settle();

    // Stored: nothing pending or awaiting an ack on the durable, so nothing comes back.
    const jsm = await jetstreamManager(sandbox.admin);
    const info = await until('the ack applied', async () => {
      const c = await jsm.consumers.info(STREAMS.feed, feedDurable('de-bka'));
      return c.num_ack_pending === 0 ? c : undefined;
    });
    expect(info.num_pending).toBe(0);
    expect(info.num_redelivered).toBe(0);
    // And the sender sees it delivered, not read.
    await sleep(300);
    const before = (await bmi.receiptsFor(receipt.noticeId)).find((r) => r.recipient === 'de-bka');
    expect(before).toMatchObject({ recipient: 'de-bka', level: 'operational' });
    expect(before?.readAt).toBeUndefined();

    const reader = { log: 'liaison-station/de-bka', seq: 3, leafHash: 'ab'.repeat(32) };
    await bka.sendReadReceipt(
      { noticeId: receipt.noticeId, sender: 'at-bmi', headerSha256: item!.headerSha256 },
      { reader },
    );
    const read = await until('the read receipt', async () =>
      (await bmi.receiptsFor(receipt.noticeId)).find((r) => r.recipient === 'de-bka' && r.readAt),
    );
    expect(read.reader).toEqual(reader);
    await sandbox.auditSettled();
    expect((await sandbox.verifyAudit()).discrepancies).toEqual([]);
  });
});

describe('replay from a time, through the gate', () => {
  it('returns the recipient’s stored deliveries since a time, verified and opened like live ones', async () => {
    const since = Date.now();
    await sleep(5);
    const ex = exampleNotices();
    const sent = [
      // Opted in, so the strategic partner gets its coarsened layer too (issue 15's kind rule).
      await (await sandbox.client('at-bmi')).publish(ex.borderAlert, {}, { strategicOptIn: true }),
      await (await sandbox.client('eu-europol')).publish(ex.threatNotice),
    ];
    // Not even read live yet: replay does not depend on (or move) the durable's position.
    const bka = await sandbox.client('de-bka');
    await until('both live', async () => {
      const c = await (await jetstreamManager(sandbox.admin)).consumers.info(
        STREAMS.feed,
        feedDurable('de-bka'),
      );
      return c.num_pending >= 2 ? true : undefined;
    });
    const replayed = [];
    for await (const r of bka.replay({ since })) replayed.push(r);
    expect(replayed.map((r) => r.notice.noticeId)).toEqual(sent.map((s) => s.noticeId));
    expect(replayed[0]!.notice.level).toBe('operational');
    expect((replayed[0]!.notice.body.person as { surname: string }).surname).toBe('Petrova');
    expect(replayed[0]!.seq).toBeLessThan(replayed[1]!.seq);
    expect(replayed[0]!.headerSha256).toMatch(/^[0-9a-f]{64}$/);

    // A strategic partner's replay is its own restricted deliveries: no personal field.
    const ru = [];
    for await (const r of (await sandbox.client('ru-mvd')).replay({ since })) ru.push(r);
    expect(ru.map((r) => r.notice.noticeId).sort()).toEqual(sent.map((s) => s.noticeId).sort());
    for (const r of ru) {
      expect(r.notice.level).toBe('strategic');
      expect(r.notice.body.person).toBeUndefined();
      expect(r.notice.body.documentNumber).toBeUndefined();
    }
  });

  it('answers in bounded batches with a continuation, and refuses a malformed request', async () => {
    const nc = await sandbox.connection('de-bka');
    const ask = async (q: unknown) =>
      JSON.parse(
        (await nc.request(t.replay('de-bka'), enc.encode(JSON.stringify(q)), { timeout: 5000 })).string(),
      );
    const first = await ask({ since: 0, limit: 1 });
    expect(first.deliveries).toHaveLength(1);
    expect(first.next).toBe(first.deliveries[0].seq);
    const second = await ask({ after: first.next, limit: 1 });
    expect(second.deliveries[0].seq).toBeGreaterThan(first.next);
    expect(await ask({ since: 0, after: 1 })).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    expect(await ask({ since: 0, limit: 1000 })).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    const all = await ask({ since: Date.now() + 60_000 });
    expect(all).toEqual({ deliveries: [] });
  });
});
