import { labelled, xchachaOpen, xchachaSeal } from './primitives.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** AAD of a layer: "liaison.v1.layer" 0x00 notice_id 0x00 layer_name. */
export function layerAad(noticeId: string, layer: string): Uint8Array {
  return labelled('liaison.v1.layer', noticeId, layer);
}

export function encryptLayer(
  key: Uint8Array,
  nonce: Uint8Array,
  noticeId: string,
  layer: string,
  content: unknown,
): Uint8Array {
  const plaintext = encoder.encode(JSON.stringify(content));
  return xchachaSeal(key, nonce, plaintext, layerAad(noticeId, layer));
}

/** Decrypts and parses a layer; throws on authentication failure or bad JSON. */
export function decryptLayer(
  key: Uint8Array,
  nonce: Uint8Array,
  noticeId: string,
  layer: string,
  ciphertext: Uint8Array,
): unknown {
  const plaintext = xchachaOpen(key, nonce, ciphertext, layerAad(noticeId, layer));
  return JSON.parse(decoder.decode(plaintext));
}
