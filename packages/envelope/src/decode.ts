import {
  type Envelope,
  EnvelopeSchema,
  fromBinary,
  isCanonical,
  type NoticeHeader,
  NoticeHeaderSchema,
} from '@liaison/wire';
import { EnvelopeError } from './errors.js';

/**
 * Decodes envelope bytes; any protobuf error becomes MALFORMED. The envelope must
 * be in canonical form (re-encoding would give the same bytes; checked by a scanner,
 * tested against re-encoding, see @liaison/wire `isCanonical`): protobuf decoders
 * tolerate some framing changes (a wrong wire type, unknown fields), and an
 * envelope that can change without its meaning changing is one an auditor
 * cannot pin down by its digest.
 */
export function decodeEnvelope(bytes: Uint8Array): Envelope {
  let envelope: Envelope;
  try {
    envelope = fromBinary(EnvelopeSchema, bytes, { readUnknownFields: false });
  } catch (cause) {
    throw new EnvelopeError('MALFORMED', 'not a Liaison envelope', { cause });
  }
  if (!isCanonical(EnvelopeSchema, bytes)) {
    throw new EnvelopeError('MALFORMED', 'envelope is not in canonical form');
  }
  return envelope;
}

export function decodeHeader(bytes: Uint8Array): NoticeHeader {
  try {
    return fromBinary(NoticeHeaderSchema, bytes);
  } catch (cause) {
    throw new EnvelopeError('MALFORMED', 'not a Liaison notice header', { cause });
  }
}
