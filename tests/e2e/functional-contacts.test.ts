// An agency's functional contacts come from the registry: a sender may cite a desk's
// phone in strategic text (the gate signs the contacts into its directory and the SDK
// gives them to the screening), while an unregistered number of the same shape is
// still taken for a person's and stops the seal.
import { DEMO_AGENCIES, exampleNotices } from '@liaison/fixtures';
import { Sandbox } from '@liaison/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readUntil } from './helpers.js';

const DESK = '+49 611 55 12300';
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await Sandbox.start({
    agencies: DEMO_AGENCIES.map((a) => (a.id === 'de-bka' ? { ...a, contacts: [DESK] } : a)),
  });
});
afterAll(async () => {
  await sandbox?.dispose();
});

const citing = (phone: string) => {
  const n = exampleNotices().threatNotice;
  const body = n.body as Record<string, unknown>;
  return { ...n, body: { ...body, assessment: `${body.assessment} Reports to the BKA desk, ${phone}.` } };
};

describe('functional contacts from the registry', () => {
  it('lets strategic text cite a registered desk phone, and still refuses an unregistered one', async () => {
    const europol = await sandbox.client('eu-europol');
    const receipt = await europol.publish(citing(DESK));
    expect(receipt.recipients.map((r) => r.recipient)).toContain('ru-mvd');
    const item = await readUntil(
      await sandbox.client('ru-mvd'),
      (i) => i.notice.noticeId === receipt.noticeId,
    );
    expect(item.notice.level).toBe('strategic');
    expect(String(item.notice.body.assessment)).toContain(DESK);

    const refused = await europol.publish(citing('+49 611 55 98765')).catch((e) => e);
    expect(refused.code).toBe('PERSONAL_DATA_IN_STRATEGIC');
  });
});
