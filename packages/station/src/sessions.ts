import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from './db.js';

export interface SessionPolicy {
  /** A session unused for this long ends. */
  idleMs: number;
  /** A session ends this long after login, used or not. */
  absoluteMs: number;
}

export const DEFAULT_SESSIONS: SessionPolicy = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };

export interface Session {
  officerId: string;
  csrf: string;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Server-side sessions. The cookie carries a random 256-bit token; the database
 * keeps only its SHA-256, so a copy of the database holds no usable session. A
 * login always makes a new token (no fixation: a token the station did not mint
 * is never adopted). Each session has its own CSRF token (synchronizer pattern),
 * which every form posts back.
 */
export class Sessions {
  constructor(
    private readonly db: Db,
    private readonly policy: SessionPolicy = DEFAULT_SESSIONS,
  ) {}

  create(officerId: string, now = Date.now()): { token: string; csrf: string } {
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(32).toString('base64url');
    this.db
      .prepare(
        'INSERT INTO sessions (id_hash, officer_id, csrf, created_at, last_seen) VALUES (?, ?, ?, ?, ?)',
      )
      .run(hashToken(token), officerId, csrf, now, now);
    return { token, csrf };
  }

  resolve(token: string | undefined, now = Date.now()): Session | undefined {
    if (!token || token.length > 100) return undefined;
    const id = hashToken(token);
    const row = this.db
      .prepare('SELECT officer_id, csrf, created_at, last_seen FROM sessions WHERE id_hash = ?')
      .get(id) as { officer_id: string; csrf: string; created_at: number; last_seen: number } | undefined;
    if (!row) return undefined;
    if (now - row.last_seen > this.policy.idleMs || now - row.created_at > this.policy.absoluteMs) {
      this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(id);
      return undefined;
    }
    this.db.prepare('UPDATE sessions SET last_seen = ? WHERE id_hash = ?').run(now, id);
    return { officerId: row.officer_id, csrf: row.csrf };
  }

  destroy(token: string | undefined): void {
    if (token) this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(hashToken(token));
  }

  destroyAllOf(officerId: string): void {
    this.db.prepare('DELETE FROM sessions WHERE officer_id = ?').run(officerId);
  }
}

/** Constant-time comparison of a posted CSRF token with the session's. */
export function csrfMatches(session: Session, posted: unknown): boolean {
  if (typeof posted !== 'string') return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(posted);
  return a.length === b.length && timingSafeEqual(a, b);
}
