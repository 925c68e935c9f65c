import { type KeyObject, sign, verify } from 'node:crypto';
import { sha256 } from '@liaison/merkle';

/**
 * Checkpoints of the station's access log, in the same C2SP signed-note format as
 * the exchange's audit log (so the same verifier reads both): the body
 * `<origin>\n<size>\n<base64 root>\n`, a blank line, and one line
 * `— <key name> <base64(key hash[4] ‖ Ed25519 signature[64])>` with
 * key hash = SHA-256(key name ‖ "\n" ‖ 0x01 ‖ public key). The origin is
 * `liaison-station/<agency>`, the key name the agency's signing key id.
 */
export interface Checkpoint {
  origin: string;
  size: number;
  root: Uint8Array;
}

export interface NoteKey {
  name: string;
  publicRaw: Uint8Array;
}

const enc = new TextEncoder();

const body = (c: Checkpoint) => `${c.origin}\n${c.size}\n${Buffer.from(c.root).toString('base64')}\n`;

const keyHash = (key: NoteKey) =>
  sha256(enc.encode(`${key.name}\n`), new Uint8Array([1]), key.publicRaw).subarray(0, 4);

export function signCheckpoint(c: Checkpoint, key: NoteKey, privateKey: KeyObject): string {
  const b = body(c);
  const sig = sign(null, enc.encode(b), privateKey);
  return `${b}\n\u2014 ${key.name} ${Buffer.concat([keyHash(key), sig]).toString('base64')}\n`;
}

/** The checkpoint a note carries when `key` signed it; undefined otherwise. */
export function openCheckpoint(note: string, key: NoteKey, publicKey: KeyObject): Checkpoint | undefined {
  const split = note.indexOf('\n\n');
  if (split < 0) return undefined;
  const b = note.slice(0, split + 1);
  const [origin, size, root] = b.split('\n');
  if (!origin || !/^(0|[1-9][0-9]*)$/.test(size ?? '') || !root) return undefined;
  const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(note.slice(split + 2).trim());
  if (!m || m[1] !== key.name) return undefined;
  const blob = Buffer.from(m[2]!, 'base64');
  if (blob.length !== 68 || !blob.subarray(0, 4).equals(Buffer.from(keyHash(key)))) return undefined;
  if (!verify(null, enc.encode(b), publicKey, blob.subarray(4))) return undefined;
  return { origin, size: Number(size), root: new Uint8Array(Buffer.from(root, 'base64')) };
}
