import { z } from 'zod';
import { KeySpecSchema } from '../events.js';

/**
 * An agency's public keys as it hands them to an administrator: one Ed25519
 * signing key and one X25519 encryption key (`keySpec` of each key pair). The
 * private halves never leave the agency.
 */
export const PublicKeysSchema = z
  .object({
    signing: KeySpecSchema.refine((k) => k.jwk.crv === 'Ed25519', {
      message: 'the signing key is an Ed25519 key',
      path: ['jwk', 'crv'],
    }),
    encryption: KeySpecSchema.refine((k) => k.jwk.crv === 'X25519', {
      message: 'the encryption key is an X25519 key',
      path: ['jwk', 'crv'],
    }),
  })
  .strict();
export type PublicKeys = z.infer<typeof PublicKeysSchema>;
