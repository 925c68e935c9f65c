import type { LayerName } from '@liaison/notice';
import { create, type Envelope, EnvelopeSchema } from '@liaison/wire';
import type { VerifiedEnvelope } from './verify-header.js';

export interface Restricted {
  envelope: Envelope;
  /** Layers the delivery actually carries: granted, present, and wrapped for the recipient. */
  layers: LayerName[];
}

/**
 * The copy of a verified envelope one recipient may receive: the same signed
 * header, only the granted layers that were wrapped for it, only its own wraps,
 * no audience. Nothing else about other recipients survives; the sender's
 * signature still verifies because the header bytes are untouched.
 */
export function restrictTo(
  verified: VerifiedEnvelope,
  recipient: string,
  granted: readonly LayerName[],
): Restricted {
  const { envelope } = verified;
  const wraps = envelope.wraps.filter(
    (w) => w.recipient === recipient && granted.includes(w.layer as LayerName),
  );
  const wrapped = new Set(wraps.map((w) => w.layer));
  const layers = envelope.layers.filter((l) => wrapped.has(l.name));
  return {
    envelope: create(EnvelopeSchema, {
      header: envelope.header,
      headerSignature: envelope.headerSignature,
      layers,
      wraps,
    }),
    layers: layers.map((l) => l.name as LayerName),
  };
}
