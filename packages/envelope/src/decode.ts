import { type Envelope, EnvelopeSchema, type NoticeHeader, NoticeHeaderSchema, fromBinary } from '@liaison/wire';
import { EnvelopeError } from './errors.js';

/** Decodes envelope bytes; any protobuf error becomes MALFORMED. */
export function decodeEnvelope(bytes: Uint8Array): Envelope {
  try {
    return fromBinary(EnvelopeSchema, bytes);
  } catch (cause) {
    throw new EnvelopeError('MALFORMED', 'not a Liaison envelope', { cause });
  }
}

export function decodeHeader(bytes: Uint8Array): NoticeHeader {
  try {
    return fromBinary(NoticeHeaderSchema, bytes);
  } catch (cause) {
    throw new EnvelopeError('MALFORMED', 'not a Liaison notice header', { cause });
  }
}
