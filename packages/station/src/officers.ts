import { randomUUID } from 'node:crypto';
import { toIssues } from '@liaison/core';
import { z } from 'zod';
import type { Db } from './db.js';
import { StationError } from './errors.js';
import { DEFAULT_COST, hashPassword, type ScryptCost, verifyPassword } from './passwords.js';
import { ROLES, type Role } from './roles.js';

export interface Officer {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  lockedUntil: number | undefined;
  failedAttempts: number;
}

export const NewOfficerSchema = z
  .object({
    username: z.string().regex(/^[a-z][a-z0-9._-]{2,39}$/, 'lower-case letters, digits, . _ -; 3 to 40'),
    displayName: z.string().trim().min(1).max(100),
    role: z.enum(ROLES),
    password: z.string().min(12, 'at least 12 characters').max(256),
  })
  .strict();
export type NewOfficer = z.input<typeof NewOfficerSchema>;

export interface LockoutPolicy {
  /** Failed attempts in a row that lock the account. */
  maxFailures: number;
  /** How long the lock lasts. */
  lockMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, lockMs: 15 * 60_000 };

interface Row {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  failed_attempts: number;
  locked_until: number | null;
}

const toOfficer = (r: Row): Officer => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  lockedUntil: r.locked_until ?? undefined,
  failedAttempts: r.failed_attempts,
});

/**
 * Named accounts. Created by the agency's administrator (the first one by the
 * station's operator at setup); an account locks after `maxFailures` wrong
 * passwords in a row for `lockMs`, and an administrator may unlock it earlier.
 */
export class Officers {
  /** Verified against when the username is unknown, so both paths cost the same. */
  private dummyHash: Promise<string>;

  constructor(
    private readonly db: Db,
    private readonly cost: ScryptCost = DEFAULT_COST,
    private readonly lockout: LockoutPolicy = DEFAULT_LOCKOUT,
  ) {
    this.dummyHash = hashPassword(randomUUID(), cost);
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM officers').get() as { n: number }).n;
  }

  async create(input: NewOfficer, createdBy: string | undefined): Promise<Officer> {
    const parsed = NewOfficerSchema.safeParse(input);
    if (!parsed.success)
      throw new StationError('INVALID_INPUT', 'invalid officer', { issues: toIssues(parsed.error.issues) });
    const o = parsed.data;
    if (this.byUsername(o.username)) throw new StationError('OFFICER_EXISTS', 'that username is taken');
    const id = randomUUID();
    this.db
      .prepare(
        `INSERT INTO officers (id, username, display_name, role, password_hash, created_at, created_by)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        o.username,
        o.displayName,
        o.role,
        await hashPassword(o.password, this.cost),
        Date.now(),
        createdBy ?? null,
      );
    return this.get(id);
  }

  get(id: string): Officer {
    const row = this.db.prepare('SELECT * FROM officers WHERE id = ?').get(id) as Row | undefined;
    if (!row) throw new StationError('NOT_FOUND', 'no such officer');
    return toOfficer(row);
  }

  private byUsername(username: string): Row | undefined {
    return this.db.prepare('SELECT * FROM officers WHERE username = ?').get(username) as Row | undefined;
  }

  list(): Officer[] {
    return (this.db.prepare('SELECT * FROM officers ORDER BY username').all() as Row[]).map(toOfficer);
  }

  /**
   * Checks a password. Throws LOCKED_OUT while the account is locked (even with the
   * right password) and BAD_CREDENTIALS otherwise; the message never says whether
   * the username exists.
   */
  async authenticate(username: string, password: string, now = Date.now()): Promise<Officer> {
    const row = this.byUsername(username);
    if (!row) {
      await verifyPassword(password, await this.dummyHash);
      throw new StationError('BAD_CREDENTIALS', 'wrong username or password');
    }
    if (row.locked_until !== null && row.locked_until > now)
      throw new StationError('LOCKED_OUT', 'this account is locked; try later or ask the administrator');
    if (await verifyPassword(password, row.password_hash)) {
      this.db
        .prepare('UPDATE officers SET failed_attempts = 0, locked_until = NULL WHERE id = ?')
        .run(row.id);
      return this.get(row.id);
    }
    const failures = row.failed_attempts + 1;
    const lock = failures >= this.lockout.maxFailures;
    this.db
      .prepare('UPDATE officers SET failed_attempts = ?, locked_until = ? WHERE id = ?')
      .run(lock ? 0 : failures, lock ? now + this.lockout.lockMs : null, row.id);
    throw new StationError(
      lock ? 'LOCKED_OUT' : 'BAD_CREDENTIALS',
      lock ? 'this account is locked; try later or ask the administrator' : 'wrong username or password',
    );
  }

  unlock(id: string): void {
    this.db.prepare('UPDATE officers SET failed_attempts = 0, locked_until = NULL WHERE id = ?').run(id);
  }
}
