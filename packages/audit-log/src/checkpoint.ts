import type { KeyObject } from 'node:crypto';
import { sign, verify } from 'node:crypto';
import { sha256 } from '@liaison/merkle';
import { AuditError } from './errors.js';

/**
 * Checkpoints in the C2SP signed-note format: the body is
 * `<origin>\n<tree size>\n<base64 root hash>\n`, followed by a blank line and one
 * signature line `— <key name> <base64(key hash[4] ‖ Ed25519 signature[64])>`,
 * where key hash = SHA-256(key name ‖ "\n" ‖ 0x01 ‖ public key).
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

export function checkpointBody(c: Checkpoint): string {
  return `${c.origin}\n${c.size}\n${Buffer.from(c.root).toString('base64')}\n`;
}

export function noteKeyHash(key: NoteKey): Uint8Array {
  return sha256(new TextEncoder().encode(`${key.name}\n`), new Uint8Array([1]), key.publicRaw).subarray(0, 4);
}

export function signCheckpoint(c: Checkpoint, key: NoteKey, privateKey: KeyObject): string {
  const body = checkpointBody(c);
  const sig = new Uint8Array(sign(null, new TextEncoder().encode(body), privateKey));
  const blob = Buffer.concat([noteKeyHash(key), sig]).toString('base64');
  return `${body}\n\u2014 ${key.name} ${blob}\n`;
}

/** Parses a signed checkpoint and checks the signature of `key`; throws BAD_CHECKPOINT. */
export function verifyCheckpoint(note: string, key: NoteKey, publicKey: KeyObject): Checkpoint {
  const split = note.indexOf('\n\n');
  if (split < 0) throw new AuditError('BAD_CHECKPOINT', 'not a signed note');
  const body = note.slice(0, split + 1);
  const lines = body.split('\n');
  const [origin, sizeText, rootText] = lines;
  if (lines.length !== 4 || !origin || !/^(0|[1-9][0-9]*)$/.test(sizeText ?? '') || !rootText) {
    throw new AuditError('BAD_CHECKPOINT', 'not a checkpoint');
  }
  const root = new Uint8Array(Buffer.from(rootText, 'base64'));
  if (root.length !== 32) throw new AuditError('BAD_CHECKPOINT', 'not a checkpoint');
  const wanted = Buffer.from(noteKeyHash(key));
  const ok = note
    .slice(split + 2)
    .split('\n')
    .filter(Boolean)
    .some((line) => {
      const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
      if (!m || m[1] !== key.name) return false;
      const blob = Buffer.from(m[2]!, 'base64');
      return (
        blob.length === 68 &&
        blob.subarray(0, 4).equals(wanted) &&
        verify(null, new TextEncoder().encode(body), publicKey, blob.subarray(4))
      );
    });
  if (!ok) throw new AuditError('BAD_CHECKPOINT', 'checkpoint signature verification failed');
  return { origin, size: Number(sizeText), root };
}
