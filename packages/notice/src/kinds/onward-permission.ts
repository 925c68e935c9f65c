import { z } from 'zod';
import { PERMISSION_DECISIONS } from '../conversation/terms.js';
import { freeText, nonPersonal } from '../fields.js';
import { instant } from './common.js';

const agencyId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'an agency id');

/**
 * Onward dissemination of one notice (H2, TLP:RED, TLP:AMBER+STRICT, or to an agency
 * its audience excluded): a recipient asks the provider (`requested`, a reply to the
 * notice), the provider grants or refuses (a reply to the request) naming the
 * recipients. Signed into the header (OnwardPermission), so the gate checks a forward
 * against the grant without reading content.
 */
export const OnwardPermissionSchema = z
  .object({
    decision: nonPersonal(z.enum(PERMISSION_DECISIONS)),
    noticeId: nonPersonal(z.uuid(), 'the notice to be disseminated onward'),
    noticeHeaderSha256: nonPersonal(z.string().regex(/^[0-9a-f]{64}$/), "that notice's header digest"),
    grantee: nonPersonal(agencyId, 'the agency that asks to, or may, forward it'),
    recipients: nonPersonal(z.array(agencyId).min(1).max(50)),
    validUntil: nonPersonal(instant.optional()),
    conditions: freeText(z.string().trim().min(1).max(1000).optional(), 'purpose or conditions; no names'),
  })
  .strict();

export type OnwardPermissionBody = z.infer<typeof OnwardPermissionSchema>;
