// AUDIT_IN is created by whichever of the gate and the audit log starts first, so
// their two definitions of it must not drift apart: a stream created with the
// other's settings would silently keep them.
import { auditStreamConfigs } from '@liaison/audit-log';
import { DEFAULT_SETTINGS, streamConfigs } from '@liaison/gate';
import { describe, expect, it } from 'vitest';

describe('stream definitions shared by two services', () => {
  for (const replicas of [1, 3])
    for (const prefix of ['liaison', 'other'])
      it(`defines AUDIT_IN alike in the gate and the audit log (${prefix}, R${replicas})`, () => {
        const fromGate = streamConfigs({ ...DEFAULT_SETTINGS, gateId: 'g', prefix, replicas }).find(
          (c) => c.name === 'AUDIT_IN',
        );
        const fromLog = auditStreamConfigs(prefix, replicas).find((c) => c.name === 'AUDIT_IN');
        expect(fromGate).toBeDefined();
        expect(fromGate).toEqual(fromLog);
      });
});
