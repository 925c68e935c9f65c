import { isUtf8 } from 'node:buffer';
import { type DescField, type DescMessage, ScalarType } from '@bufbuild/protobuf';

/**
 * Are these bytes exactly what a deterministic protobuf encoder (protobuf-es's
 * `toBinary`) writes for the message they decode to? Fields in ascending number
 * order, each singular field at most once, repeated fields contiguous, no unknown
 * fields, no default-valued singular scalars, minimal varints, valid UTF-8 strings,
 * nested messages canonical too. A scanner instead of decode + re-encode + compare
 * (the receiver's hot path); it covers the field types the envelope uses and
 * refuses any other (a schema change that needs more fails closed, and the
 * differential tests against re-encoding say so).
 */
export function isCanonical(desc: DescMessage, bytes: Uint8Array): boolean {
  return scan(desc, bytes, 0, bytes.length) === bytes.length;
}

/** Reads a minimal varint at `pos` (at most `maxBytes`); returns [value, next] or undefined. */
function varint(b: Uint8Array, pos: number, end: number, maxBytes: number): [number, number] | undefined {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < maxBytes; i++) {
    if (pos + i >= end) return undefined;
    const byte = b[pos + i]!;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if ((byte & 0x80) === 0) {
      // Minimal: no trailing zero group (a lone 0x00 is the minimal zero).
      if (byte === 0 && i > 0) return undefined;
      if (i === 9 && byte > 1) return undefined; // beyond 64 bits
      return [value, pos + i + 1];
    }
  }
  return undefined;
}

/** Scans a message over b[start, end); returns `end` if canonical, -1 otherwise. */
function scan(desc: DescMessage, b: Uint8Array, start: number, end: number): number {
  let pos = start;
  let last = 0;
  while (pos < end) {
    const tag = varint(b, pos, end, 5);
    if (!tag) return -1;
    pos = tag[1];
    const number = Math.floor(tag[0] / 8);
    const wireType = tag[0] % 8;
    const field = desc.fields.find((f) => f.number === number);
    if (!field || field.oneof || field.proto.proto3Optional) return -1;
    const repeated = field.fieldKind === 'list';
    if (number < last || (number === last && !repeated)) return -1;
    last = number;
    const next = scanValue(field, wireType, b, pos, end);
    if (next < 0) return -1;
    pos = next;
  }
  return pos === end ? end : -1;
}

function scanValue(field: DescField, wireType: number, b: Uint8Array, pos: number, end: number): number {
  const repeated = field.fieldKind === 'list';
  const scalar = field.fieldKind === 'scalar' || (field.fieldKind === 'list' && field.listKind === 'scalar');
  const message =
    field.fieldKind === 'message' || (field.fieldKind === 'list' && field.listKind === 'message')
      ? field.message
      : undefined;
  if (scalar && (field.scalar === ScalarType.UINT64 || field.scalar === ScalarType.UINT32)) {
    if (repeated || wireType !== 0) return -1; // packed repeated integers: not used, refused
    const v = varint(b, pos, end, field.scalar === ScalarType.UINT64 ? 10 : 5);
    if (!v || v[0] === 0) return -1; // a zero is omitted, never written
    return v[1];
  }
  if (wireType !== 2) return -1;
  const length = varint(b, pos, end, 5);
  if (!length) return -1;
  const from = length[1];
  const to = from + length[0];
  if (to > end) return -1;
  if (message) {
    if (field.fieldKind === 'message' && field.delimitedEncoding) return -1;
    if (field.fieldKind === 'list' && field.listKind === 'message' && field.delimitedEncoding) return -1;
    return scan(message, b, from, to) === to ? to : -1;
  }
  if (scalar && (field.scalar === ScalarType.BYTES || field.scalar === ScalarType.STRING)) {
    if (!repeated && to === from) return -1; // an empty singular value is omitted
    if (field.scalar === ScalarType.STRING && !isUtf8(b.subarray(from, to))) return -1;
    return to;
  }
  return -1; // any other kind of field: not canonical as far as this scanner knows
}
