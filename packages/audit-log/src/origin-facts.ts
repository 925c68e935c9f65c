import { conversationFromHeader } from '@liaison/envelope';
import { sha256 } from '@liaison/merkle';
import {
  factsFromHeader,
  factsWithOrigin,
  inheritanceViolation,
  type NoticeFacts,
  twoStepViolation,
} from '@liaison/policy';
import {
  type Audience,
  AudienceSchema,
  type AuditEntry,
  fromBinary,
  NoticeHeaderSchema,
} from '@liaison/wire';

type Header = ReturnType<typeof fromBinary<typeof NoticeHeaderSchema>>;

/**
 * The facts the gate had to decide on for a submission entry. For a reply or forward
 * (wire 1.2), the entry holds the notice it names as the gate found it: its signature
 * (`signed`, by the sender's key in force) and digest are checked, and inheritance and
 * the cited permission are re-derived from it.
 */
export function submissionFacts(
  e: AuditEntry,
  header: Header,
  audience: Audience | undefined,
  bad: (code: string, message: string) => void,
  signed: (h: Header, bytes: Uint8Array, signature: Uint8Array) => boolean,
): NoticeFacts | undefined {
  const p = conversationFromHeader(header)?.provenance;
  if (!p) {
    const twoStep = twoStepViolation(header, undefined);
    if (twoStep) bad('TWO_STEP_MISMATCH', `submission ${e.noticeId}: accepted although ${twoStep}`);
    return factsFromHeader(header, audience);
  }
  const what = `submission ${e.noticeId}`;
  const named = (bytes: Uint8Array, signature: Uint8Array, sha: string, role: string): Header | undefined => {
    let h: Header;
    try {
      h = fromBinary(NoticeHeaderSchema, bytes);
    } catch {
      bad('ORIGIN_MISMATCH', `${what}: the ${role} it names is not recorded`);
      return undefined;
    }
    if (Buffer.from(sha256(bytes)).toString('hex') !== sha || !signed(h, bytes, signature)) {
      bad('ORIGIN_MISMATCH', `${what}: the ${role} recorded is not the one its provenance names`);
      return undefined;
    }
    return h;
  };
  const origin = named(e.originHeader, e.originHeaderSignature, p.headerSha256, 'notice');
  if (!origin) return undefined;
  let permission: Header | undefined;
  if (p.permission) {
    permission = named(
      e.permissionHeader,
      e.permissionHeaderSignature,
      p.permission.headerSha256,
      'permission',
    );
    if (!permission) return undefined;
  }
  const originAudience = e.originAudience.length ? fromBinary(AudienceSchema, e.originAudience) : undefined;
  const facts = factsWithOrigin(header, audience, {
    header: origin,
    audience: originAudience,
    recipients: e.originRecipients,
    ...(permission ? { permission } : {}),
  });
  if (typeof facts === 'string') {
    bad('PERMISSION_MISMATCH', `${what}: the permission it cites does not cover it (${facts})`);
    return undefined;
  }
  const violation = inheritanceViolation(facts, facts.origin!);
  if (violation)
    bad('INHERITANCE_MISMATCH', `${what}: accepted although ${violation} (it answers ${p.noticeId})`);
  const twoStep = twoStepViolation(header, origin);
  if (twoStep) bad('TWO_STEP_MISMATCH', `${what}: accepted although ${twoStep} (it answers ${p.noticeId})`);
  return facts;
}
