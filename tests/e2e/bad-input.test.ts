import { sign } from 'node:crypto';
import { decodeRecord, readRecords } from '@liaison/audit-log';
import { sealRecipientsOf } from '@liaison/client';
import {
  type AgencyKeys,
  decodeEnvelope,
  type decodeHeader,
  generateAgencyKeys,
  seal,
} from '@liaison/envelope';
import { exampleNotices } from '@liaison/fixtures';
import type { Outcome } from '@liaison/gate';
import { KeyStore } from '@liaison/identity';
import { Sandbox } from '@liaison/sandbox';
import { STREAMS, Subjects } from '@liaison/topology';
import {
  AuditEntryKind,
  Classification,
  create,
  EnvelopeSchema,
  fromBinary,
  NoticeHeaderSchema,
  toBinary,
} from '@liaison/wire';
import { jetstream } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeed } from './helpers.js';

const outcomes: Outcome[] = [];
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await Sandbox.start({
    gateSettings: { maxEnvelopeBytes: 16 * 1024 },
    onOutcome: (o) => outcomes.push(o),
  });
});
afterAll(async () => {
  await sandbox?.dispose();
});

async function sealFor(
  keys: AgencyKeys,
  createdAt = new Date(),
  notice: unknown = exampleNotices(createdAt).borderAlert,
) {
  const plan = await (await sandbox.client('at-bmi')).plan(notice);
  const recipients = sealRecipientsOf(plan);
  return seal({ notice, sender: keys, recipients, createdAt });
}

/** Re-signs an envelope after changing its header (a sender with a valid key doing something odd). */
function resign(
  bytes: Uint8Array,
  keys: AgencyKeys,
  change: (h: ReturnType<typeof decodeHeader>) => void,
): Uint8Array {
  const env = decodeEnvelope(bytes);
  const header = fromBinary(NoticeHeaderSchema, env.header);
  change(header);
  const headerBytes = toBinary(NoticeHeaderSchema, header);
  const signature = new Uint8Array(sign(null, headerBytes, keys.signing.privateKey));
  return toBinary(
    EnvelopeSchema,
    create(EnvelopeSchema, { ...env, header: headerBytes, headerSignature: signature }),
  );
}

describe('bad input at the gate', () => {
  it('rejects each with its code, audits it, answers it, and delivers every valid notice in between', async () => {
    const bmi = await sandbox.client('at-bmi');
    const bka = await sandbox.client('de-bka');
    const bmiKeys = sandbox.keys.get('at-bmi')!;
    const stranger = await generateAgencyKeys('at-bmi', { notBefore: 0 });
    const good = await sealFor(bmiKeys);
    const forged = resign(good.bytes, stranger, () => undefined);
    const forgedWithKid = decodeEnvelope(forged);
    const forgedEnvelope = toBinary(
      EnvelopeSchema,
      create(EnvelopeSchema, { ...forgedWithKid, header: decodeEnvelope(good.bytes).header }),
    );

    // Revoke Finland's signing key before it publishes.
    const fiKeys = sandbox.keys.get('fi-raja')!;
    const admins = new KeyStore(sandbox.home);
    const admin = { id: 'admin-1', key: (await admins.load('admins', 'admin-1')).signing };
    await sandbox.store.refresh();
    await sandbox.store.append(
      await sandbox.store.registry.prepare(
        'key-revoked',
        { agency: 'fi-raja', kid: fiKeys.signing.record.kid, revokedAt: Date.now() - 1000 },
        admin,
      ),
    );
    await sandbox.policyApplied();

    const bad: [string, () => Promise<void>][] = [
      ['MALFORMED', () => bmi.publishRaw(new Uint8Array(0))],
      ['MALFORMED', () => bmi.publishRaw(new TextEncoder().encode('definitely not protobuf \u0000\u0001'))],
      ['MALFORMED', async () => bmi.publishRaw((await sealFor(bmiKeys)).bytes.subarray(0, 200))],
      ['BAD_SIGNATURE', () => bmi.publishRaw(forgedEnvelope)],
      ['WRONG_SUBJECT', async () => bka.publishRaw((await sealFor(bmiKeys)).bytes)],
      // Another signed header under a notice id already taken. (The same envelope again is
      // a retry, answered with its original receipt: leaf-sites.test.ts, docs/decisions/0012.)
      [
        'REPLAYED',
        async () =>
          bmi.publishRaw(
            resign(good.bytes, bmiKeys, (h) => {
              h.createdAtMs += 1n;
            }),
            `${good.noticeId}-again`,
          ),
      ],
      [
        'STALE',
        async () => bmi.publishRaw((await sealFor(bmiKeys, new Date(Date.now() - 10 * 60_000))).bytes),
      ],
      [
        'FUTURE',
        async () => bmi.publishRaw((await sealFor(bmiKeys, new Date(Date.now() + 5 * 60_000))).bytes),
      ],
      ['OVERSIZED', () => bmi.publishRaw(new Uint8Array(20 * 1024).fill(7))],
      [
        'UNKNOWN_KIND',
        async () =>
          bmi.publishRaw(
            resign((await sealFor(bmiKeys)).bytes, bmiKeys, (h) => {
              h.kind = 'rumour';
            }),
          ),
      ],
      ['UNKNOWN_KEY', async () => bmi.publishRaw((await sealFor(stranger)).bytes)],
      [
        // Wire 1.1: a sender's client that still writes free text into the cleartext header.
        'CLEARTEXT_FREE_TEXT',
        async () =>
          bmi.publishRaw(
            resign((await sealFor(bmiKeys)).bytes, bmiKeys, (h) => {
              h.caseReference = 'Petrova-382914756';
            }),
          ),
      ],
      [
        'CLASSIFICATION_NOT_ACCREDITED',
        async () =>
          bmi.publishRaw(
            resign((await sealFor(bmiKeys)).bytes, bmiKeys, (h) => {
              h.classification = Classification.SECRET_UE;
            }),
          ),
      ],
      [
        // The broker cuts a revoked agency off at once (it is no longer a user), so this is
        // a submission that was already queued when the key was revoked: the gate still
        // refuses it (the operator's connection stands in for the queue).
        'KEY_REVOKED',
        async () => {
          await jetstream(sandbox.admin).publish(
            new Subjects().intake('fi-raja'),
            (await sealFor(fiKeys)).bytes,
          );
        },
      ],
      [
        'LAYER_TAMPERED',
        async () => {
          const env = decodeEnvelope((await sealFor(bmiKeys)).bytes);
          env.layers[0]!.ciphertext[5]! ^= 1;
          await bmi.publishRaw(toBinary(EnvelopeSchema, env));
        },
      ],
    ];

    await bmi.publishRaw(good.bytes, good.noticeId);
    const validIds = [good.noticeId];
    for (const [, send] of bad) {
      await send();
      const r = await bmi.publish(exampleNotices().borderAlert);
      validIds.push(r.noticeId);
    }

    const deadline = Date.now() + 15_000;
    while (outcomes.length < bad.length + validIds.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const rejected = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as { code: string }).code);
    expect(rejected.sort()).toEqual(bad.map(([code]) => code).sort());

    const delivered = await readFeed(bka, validIds.length);
    expect(delivered.map((i) => i.notice.noticeId).sort()).toEqual([...validIds].sort());

    // Every rejection is in the audit log with its code.
    await sandbox.auditSettled();
    const codes: string[] = [];
    for await (const { data } of readRecords(sandbox.admin, STREAMS.audit)) {
      const { entry } = decodeRecord(data);
      if (entry.kind === AuditEntryKind.REJECTION) codes.push(entry.code);
    }
    expect(codes.sort()).toEqual(bad.map(([code]) => code).sort());
  });
});
