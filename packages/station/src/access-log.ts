import { sign, verify } from 'node:crypto';
import { type Checkpoint, type NoteKey, type StationLogView, signCheckpoint } from '@liaison/audit-log';
import type { AgencyKeys } from '@liaison/envelope';
import { leafHash, MerkleTree, verifyConsistency, verifyInclusion } from '@liaison/merkle';
import { openCheckpoint, stationOrigin } from './checkpoint.js';
import { type Db, getMeta, setMeta } from './db.js';
import { StationError } from './errors.js';
import type { Purpose, Role } from './roles.js';

/**
 * The station's access log (LED Art. 25): every consultation, disclosure and
 * search by an officer, with who, when, why and what. Append-only (SQLite
 * triggers refuse UPDATE and DELETE), each entry signed by the station with the
 * agency's Ed25519 signing key, and kept in an RFC 9162 Merkle tree whose signed
 * checkpoints (C2SP signed notes) let an auditor check inclusion and consistency
 * without trusting the station. Entries name notices by id and header digest and
 * never hold notice content.
 */
export type AccessAction =
  | 'consult'
  | 'disclose'
  | 'search'
  // The lifecycle of personal data (docs/lifecycle.md): a review decision, masking
  // (PNR Art. 12), erasure, a rectification applied, a PNR re-disclosure.
  | 'review'
  | 'mask'
  | 'erase'
  | 'rectify'
  | 'redisclose';

/** What the station itself does on a schedule or on the provider's request (no person acts). */
export const SYSTEM_ACTOR = { id: 'station', username: 'station', role: 'system' } as const;

export interface AccessEntry {
  v: 1;
  /** Position in the log = Merkle leaf index, from 0. */
  seq: number;
  at: string;
  station: string;
  /** The signing key id (RFC 7638 thumbprint) that signed this entry. */
  signer: string;
  officer: { id: string; username: string; role: Role | 'system' };
  action: AccessAction;
  purpose: Purpose | LifecyclePurpose;
  note?: string;
  notice?: { id: string; sender: string; kind: string; level: string; headerSha256: string };
  /** Searches: the filters (header fields only) and how many lines matched. */
  query?: Record<string, string | boolean>;
  results?: number;
  /** Disclosures: to whom (free text of the officer, e.g. a court, a partner). */
  recipients?: string[];
  /** Lifecycle entries: what was decided or done, and why (codes and dates, never content). */
  lifecycle?: LifecycleRecord;
}

/** Why the station acted by itself: its schedule, or the provider's amendment. */
export type LifecyclePurpose = 'retention-schedule' | 'provider-amendment';

export interface LifecycleRecord {
  /** RETENTION_ENDED, REVIEW_NOT_EXTENDED, ERASURE_REQUESTED, RECTIFIED, PNR_ART_12, KEEP, EXPIRE, … */
  code: string;
  retentionClass?: string;
  /** Review decisions: the reason given (≤ 500 chars) and until when the notice is kept. */
  reason?: string;
  until?: string;
  /** Provider amendments: the amendment notice. */
  amendmentId?: string;
  /** Erasure and rectification: disclosures of this notice the log records (derived copies to follow up). */
  derivedCopies?: number;
  /** Re-disclosure of masked PNR data: the authorisation the Directive requires (Art. 12(3)). */
  authorisation?: { authority: string; reference: string; decidedAt: string };
}

export type NewAccessEntry = Omit<AccessEntry, 'v' | 'seq' | 'at' | 'station' | 'signer'>;

export interface SignedEntry {
  entry: AccessEntry;
  /** Exactly the bytes that were signed and hashed into the tree (UTF-8 JSON). */
  json: string;
  /** base64url Ed25519 over `liaison-station-access-v1\n` ‖ json. */
  signature: string;
}

export interface AccessQuery {
  officerId?: string;
  noticeId?: string;
  action?: AccessAction;
  limit?: number;
}

const DOMAIN = 'liaison-station-access-v1\n';
const enc = new TextEncoder();
const CHECKPOINT_META = 'accesslog.checkpoint';

export class AccessLog {
  private readonly tree = new MerkleTree();
  private readonly noteKey: NoteKey;
  readonly origin: string;

  private constructor(
    private readonly db: Db,
    private readonly keys: AgencyKeys,
  ) {
    this.origin = stationOrigin(keys.agency);
    this.noteKey = { name: keys.signing.record.kid, publicRaw: keys.signing.publicRaw };
  }

  /**
   * Rebuilds the tree from the table and checks it against the last checkpoint
   * the station signed; a mismatch (rows changed behind SQLite's back) is LOG_TAMPERED.
   */
  static open(db: Db, keys: AgencyKeys): AccessLog {
    const log = new AccessLog(db, keys);
    for (const row of db.prepare('SELECT entry FROM access_log ORDER BY seq').iterate() as IterableIterator<{
      entry: string;
    }>)
      log.tree.append(leafHash(enc.encode(row.entry)));
    const note = getMeta(db, CHECKPOINT_META);
    if (note) {
      const c = openCheckpoint(note, log.noteKey, keys.signing.publicKey);
      if (!c || c.size > log.tree.size || !Buffer.from(c.root).equals(Buffer.from(log.tree.root(c.size))))
        throw new StationError('LOG_TAMPERED', 'the access log does not match its last checkpoint');
    }
    return log;
  }

  /**
   * The first consultation of a notice, as a read receipt names it (`reader`): this
   * log's origin, the entry's position and its RFC 9162 leaf hash.
   */
  firstConsultation(noticeId: string): { log: string; seq: number; leafHash: string } | undefined {
    const row = this.db
      .prepare(
        `SELECT seq FROM access_log WHERE json_extract(entry, '$.action') = 'consult'
           AND json_extract(entry, '$.notice.id') = ? ORDER BY seq LIMIT 1`,
      )
      .get(noticeId) as { seq: number } | undefined;
    if (!row) return undefined;
    return { log: this.origin, seq: row.seq, leafHash: Buffer.from(this.tree.leaf(row.seq)).toString('hex') };
  }

  get size(): number {
    return this.tree.size;
  }

  /** Appends, signs and checkpoints one entry (synchronously: entries are strictly ordered). */
  append(e: NewAccessEntry, at = new Date()): SignedEntry {
    const entry: AccessEntry = {
      v: 1,
      seq: this.tree.size,
      at: at.toISOString(),
      station: this.keys.agency,
      signer: this.keys.signing.record.kid,
      officer: { id: e.officer.id, username: e.officer.username, role: e.officer.role },
      action: e.action,
      purpose: e.purpose,
      ...(e.note ? { note: e.note } : {}),
      ...(e.notice ? { notice: e.notice } : {}),
      ...(e.query ? { query: e.query } : {}),
      ...(e.results !== undefined ? { results: e.results } : {}),
      ...(e.recipients ? { recipients: e.recipients } : {}),
      ...(e.lifecycle ? { lifecycle: e.lifecycle } : {}),
    };
    const json = JSON.stringify(entry);
    const signature = sign(null, enc.encode(DOMAIN + json), this.keys.signing.privateKey).toString(
      'base64url',
    );
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO access_log (seq, entry, signature) VALUES (?, ?, ?)')
        .run(entry.seq, json, signature);
      this.tree.append(leafHash(enc.encode(json)));
      setMeta(this.db, CHECKPOINT_META, this.signedCheckpoint());
    })();
    return { entry, json, signature };
  }

  /** The signed note for the current size (what a checkpoint into the audit log would carry). */
  signedCheckpoint(size = this.tree.size): string {
    const c: Checkpoint = { origin: this.origin, size, root: this.tree.root(size) };
    return signCheckpoint(c, this.noteKey, this.keys.signing.privateKey);
  }

  query(q: AccessQuery = {}): SignedEntry[] {
    const rows = this.db.prepare('SELECT entry, signature FROM access_log ORDER BY seq DESC').all() as {
      entry: string;
      signature: string;
    }[];
    const out: SignedEntry[] = [];
    for (const r of rows) {
      const entry = JSON.parse(r.entry) as AccessEntry;
      if (q.officerId && entry.officer.id !== q.officerId) continue;
      if (q.noticeId && entry.notice?.id !== q.noticeId) continue;
      if (q.action && entry.action !== q.action) continue;
      out.push({ entry, json: r.entry, signature: r.signature });
      if (out.length >= (q.limit ?? 200)) break;
    }
    return out;
  }

  /** RFC 9162 §2.1.3 inclusion proof of entry `seq` in the tree of `size` entries. */
  inclusionProof(
    seq: number,
    size = this.tree.size,
  ): { seq: number; size: number; leafHash: string; path: string[] } {
    if (seq < 0 || seq >= size || size > this.tree.size) throw new StationError('NOT_FOUND', 'no such entry');
    return {
      seq,
      size,
      leafHash: Buffer.from(this.tree.leaf(seq)).toString('hex'),
      path: this.tree.inclusionProof(seq, size).map((h) => Buffer.from(h).toString('hex')),
    };
  }

  /** RFC 9162 §2.1.4 consistency proof between two sizes. */
  consistencyProof(first: number, second = this.tree.size): string[] {
    if (first < 0 || first > second || second > this.tree.size)
      throw new StationError('NOT_FOUND', 'no such tree size');
    return this.tree.consistencyProof(first, second).map((h) => Buffer.from(h).toString('hex'));
  }

  /** What an auditor compares with the checkpoints the exchange recorded (`checkStationLog`). */
  view(): StationLogView {
    return {
      size: this.tree.size,
      root: this.tree.root(),
      consistencyProof: (from: number) => this.tree.consistencyProof(from, this.tree.size),
    };
  }

  /**
   * The auditor's check of the whole log: every entry's signature and position,
   * the tree against the signed checkpoint, and (given an earlier checkpoint)
   * consistency with it. Returns the problems found, each with its entry.
   */
  verify(earlier?: { size: number; root: Uint8Array }): { size: number; problems: string[] } {
    const problems: string[] = [];
    const tree = new MerkleTree();
    const rows = this.db.prepare('SELECT seq, entry, signature FROM access_log ORDER BY seq').all() as {
      seq: number;
      entry: string;
      signature: string;
    }[];
    for (const r of rows) {
      const entry = JSON.parse(r.entry) as AccessEntry;
      if (entry.seq !== r.seq || r.seq !== tree.size) problems.push(`entry ${r.seq}: out of place`);
      const ok = verify(
        null,
        enc.encode(DOMAIN + r.entry),
        this.keys.signing.publicKey,
        Buffer.from(r.signature, 'base64url'),
      );
      if (!ok) problems.push(`entry ${r.seq}: bad signature`);
      tree.append(leafHash(enc.encode(r.entry)));
      if (
        !verifyInclusion(
          r.seq,
          this.tree.size,
          tree.leaf(r.seq),
          this.tree.inclusionProof(r.seq),
          this.tree.root(),
        )
      )
        problems.push(`entry ${r.seq}: not in the tree`);
    }
    const note = getMeta(this.db, CHECKPOINT_META);
    const c = note ? openCheckpoint(note, this.noteKey, this.keys.signing.publicKey) : undefined;
    if (
      rows.length > 0 &&
      (!c || c.size !== tree.size || !Buffer.from(c.root).equals(Buffer.from(tree.root())))
    )
      problems.push('checkpoint: does not match the log');
    if (
      earlier &&
      !verifyConsistency(
        earlier.size,
        tree.size,
        earlier.root,
        tree.root(),
        tree.consistencyProof(earlier.size),
      )
    )
      problems.push(`checkpoint ${earlier.size}: the log is not an extension of it`);
    return { size: tree.size, problems };
  }
}

/** Checks one entry's signature with the agency's public signing key (what a DPO tool or auditor does). */
export function verifyEntrySignature(e: SignedEntry, publicKey: AgencyKeys['signing']['publicKey']): boolean {
  return verify(null, enc.encode(DOMAIN + e.json), publicKey, Buffer.from(e.signature, 'base64url'));
}
