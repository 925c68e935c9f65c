// A registry and valid audit entries made in-process, as the gate makes them
// (packages/gate/src/process-submission.ts): a submission with its decisions and the
// gate's batch countersignature, a read receipt, a rejection.
import {
  type AgencyKeys,
  countersignGroups,
  generateAgencyKeys,
  restrictTo,
  seal,
  sha256,
  signReceipt,
  verifyHeader,
} from '@liaison/envelope';
import { DEMO_AGENCIES, DEMO_AGREEMENTS, exampleNotices } from '@liaison/fixtures';
import { decideAll, factsFromHeader } from '@liaison/policy';
import { type Agency, Registry, resolverOf, seedDirectory } from '@liaison/registry';
import { type AuditEntry, AuditEntryKind, AuditEntrySchema, create } from '@liaison/wire';

export const T0 = Date.parse('2026-01-01T00:00:00Z');
export const NOW = Date.parse('2026-11-25T10:00:00Z');
const GATE: Agency = { id: 'liaison-gate', name: 'Gate', country: 'EU', kind: 'service', roles: ['gate'] };

export async function auditWorld() {
  const admins = [];
  for (const id of ['admin-1', 'admin-2'])
    admins.push({ id, key: (await generateAgencyKeys(id, { notBefore: T0 })).signing });
  const keys = new Map<string, AgencyKeys>();
  for (const a of [...DEMO_AGENCIES, GATE]) keys.set(a.id, await generateAgencyKeys(a.id, { notBefore: T0 }));
  const registry = new Registry({ anchors: [admins[0]!.key.record.kid] });
  await seedDirectory(registry, (jws) => registry.apply(jws), {
    origin: 'liaison-test',
    admins,
    agencies: [...DEMO_AGENCIES, GATE],
    keys,
    agreements: DEMO_AGREEMENTS,
    at: T0 + 1000,
  });
  const snapshot = registry.current;
  const gate = keys.get(GATE.id)!;

  async function submission(notice: unknown): Promise<AuditEntry> {
    const sender = keys.get('at-bmi')!;
    const plan = (await seal({ notice, sender, recipients: [], createdAt: new Date(NOW) })).header;
    const planned = decideAll(factsFromHeader(plan, undefined), snapshot, NOW).filter(
      (d) => d.level !== 'none',
    );
    const sealed = await seal({
      notice,
      sender,
      recipients: planned.map((d) => ({
        agency: d.recipient,
        encryptionKey: keys.get(d.recipient)!.encryption.record,
        layers: d.layers,
      })),
      audience: { deny: ['country:XX'] },
      createdAt: new Date(NOW),
    });
    const v = verifyHeader(sealed.bytes, resolverOf(snapshot), { now: NOW });
    const decisions = decideAll(factsFromHeader(v.header, v.audience), snapshot, NOW).filter(
      (d) => d.level !== 'none',
    );
    const items = decisions.map((d) => {
      const restricted = restrictTo(v, d.recipient, d.layers);
      return {
        envelope: restricted.envelope,
        grant: {
          recipient: d.recipient,
          level: d.level as 'operational' | 'strategic',
          layers: restricted.layers,
          policyRevision: BigInt(snapshot.revision),
          grantedAt: NOW,
        },
      };
    });
    const [signed] = countersignGroups([items], gate, NOW);
    return create(AuditEntrySchema, {
      domain: 'liaison.v1.AuditEntry',
      kind: AuditEntryKind.SUBMISSION,
      atMs: BigInt(NOW),
      gateId: GATE.id,
      noticeId: v.header.noticeId,
      sender: 'at-bmi',
      headerSha256: sha256(v.envelope.header),
      envelopeSha256: sha256(sealed.bytes),
      policyRevision: BigInt(snapshot.revision),
      intakeSeq: 1n,
      header: v.envelope.header,
      headerSignature: v.envelope.headerSignature,
      audience: v.envelope.audience,
      decisions: decisions.map(({ recipient, level, layers, reasons }) => ({
        recipient,
        level,
        layers,
        reasons,
      })),
      deliveries: signed!.deliveries.map((c, i) => ({
        recipient: decisions[i]!.recipient,
        grant: c.grant,
        envelopeSha256: sha256(c.bytes),
      })),
      grantBatch: signed!.deliveries[0]!.batch,
      grantSignature: signed!.deliveries[0]!.signature,
      grantBlockOffset: BigInt(signed!.block.offset),
      grantBlockPath: signed!.block.path,
    });
  }

  async function read(of: AuditEntry, recipient: string): Promise<AuditEntry> {
    const readReceipt = await signReceipt(
      {
        type: 'read',
        noticeId: of.noticeId,
        sender: of.sender,
        recipient,
        headerSha256: Buffer.from(of.headerSha256).toString('hex'),
        readAt: NOW + 1000,
      },
      keys.get(recipient)!,
    );
    return create(AuditEntrySchema, {
      domain: 'liaison.v1.AuditEntry',
      kind: AuditEntryKind.READ,
      atMs: BigInt(NOW + 1000),
      gateId: GATE.id,
      noticeId: of.noticeId,
      sender: of.sender,
      recipient,
      headerSha256: of.headerSha256,
      readReceipt,
    });
  }

  const examples = exampleNotices(new Date(NOW));
  return { registry, keys, gate, submission, read, examples };
}
