import { z } from 'zod';
import { AgencyIdSchema, AgencySchema, AgreementSchema } from './model.js';

const PublicJwkSchema = z
  .object({
    kty: z.literal('OKP'),
    crv: z.enum(['Ed25519', 'X25519']),
    x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  })
  .passthrough();

export const KeySpecSchema = z
  .object({
    jwk: PublicJwkSchema,
    notBefore: z.number().int(),
    notAfter: z.number().int().optional(),
  })
  .strict();
export type KeySpec = z.infer<typeof KeySpecSchema>;

const AdminSpecSchema = z.object({ id: AgencyIdSchema, key: KeySpecSchema }).strict();

/**
 * A change that widens what an agency receives, proposed by one administrator and
 * applied when a second one approves it (four eyes, like raising an agreement).
 */
export const ChangeSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('agency-added'),
      agency: AgencySchema,
      /** The agency's own public keys (it made them; no administrator holds the private ones). */
      keys: z.array(KeySpecSchema).max(4),
    })
    .strict(),
  z.object({ type: z.literal('agency-updated'), agency: AgencySchema }).strict(),
  z
    .object({
      type: z.literal('keys-added'),
      agency: AgencyIdSchema,
      keys: z.array(KeySpecSchema).min(1).max(4),
      /** Keys retired by this rotation, and until when they stay valid. */
      retire: z
        .array(z.object({ kid: z.string(), notAfter: z.number().int() }).strict())
        .max(4)
        .optional(),
    })
    .strict(),
]);
export type Change = z.infer<typeof ChangeSchema>;

/** The payload of each policy event type. */
export const EventDataSchemas = {
  'registry-created': z
    .object({ origin: z.string().min(1).max(100), administrators: z.array(AdminSpecSchema).min(1) })
    .strict(),
  'administrator-added': AdminSpecSchema,
  'administrator-removed': z.object({ id: AgencyIdSchema }).strict(),
  'agency-added': z.object({ agency: AgencySchema }).strict(),
  'agency-updated': z.object({ agency: AgencySchema }).strict(),
  'key-added': z.object({ agency: AgencyIdSchema, key: KeySpecSchema }).strict(),
  'key-revoked': z.object({ agency: AgencyIdSchema, kid: z.string(), revokedAt: z.number().int() }).strict(),
  /** Rotation: the old key stays valid for what it signed before `notAfter`, but no longer. */
  'key-retired': z.object({ agency: AgencyIdSchema, kid: z.string(), notAfter: z.number().int() }).strict(),
  'agreement-proposed': z.object({ proposalId: z.uuid(), agreement: AgreementSchema }).strict(),
  'agreement-approved': z.object({ proposalId: z.uuid() }).strict(),
  'change-proposed': z.object({ proposalId: z.uuid(), change: ChangeSchema }).strict(),
  'change-approved': z.object({ proposalId: z.uuid() }).strict(),
  'agreement-ended': z
    .object({ partner: z.string().regex(/^[A-Z]{2}$/), endedAt: z.number().int() })
    .strict(),
} as const;

export type EventType = keyof typeof EventDataSchemas;
export const EVENT_TYPES = Object.keys(EventDataSchemas) as EventType[];

export const PolicyEventSchema = z
  .object({
    v: z.literal(1),
    id: z.uuid(),
    /** The registry revision this event creates: previous + 1. */
    revision: z.number().int().positive(),
    /** SHA-256 (hex) of the previous event's JWS; 64 zeros for the first. */
    prev: z.string().regex(/^[0-9a-f]{64}$/),
    at: z.number().int(),
    by: AgencyIdSchema,
    type: z.enum(EVENT_TYPES as [EventType, ...EventType[]]),
    data: z.unknown(),
  })
  .strict();

export type PolicyEvent = z.infer<typeof PolicyEventSchema>;

export type EventData<T extends EventType> = z.infer<(typeof EventDataSchemas)[T]>;
