/**
 * The station's lifecycle tables (docs/lifecycle.md), beside the inbox:
 *
 * - `notice_keys`: one random 256-bit key per notice and slot (`content`: the row;
 *   `pnr-full`: the values masked after six months), stored only wrapped under the
 *   inbox's data key (itself wrapped to the agency's X25519 key). Destroying a notice's
 *   keys makes its ciphertext unreadable wherever a copy of it went (crypto-shredding):
 *   shredding one notice no longer needs re-encrypting the others.
 * - `notice_lifecycle`: each stored notice's retention class and dates, its state
 *   (`active`, `masked`, `erased`) and why it changed.
 * - `reviews`: every review decision (who, when, keep until …, why) — also in the access log.
 * - `pnr_full`: the Art. 12(2) values a masking removed, under the `pnr-full` key, opened
 *   only for a re-disclosure with the recorded authorisation.
 *
 * `secure_delete` makes SQLite overwrite what is deleted, so a destroyed key does not
 * linger in free pages of the database file.
 */
export const LIFECYCLE_SCHEMA = `
PRAGMA secure_delete = ON;
CREATE TABLE IF NOT EXISTS notice_keys (
  notice_id TEXT NOT NULL,
  slot TEXT NOT NULL,
  nonce BLOB NOT NULL,
  wrapped BLOB NOT NULL,
  PRIMARY KEY (notice_id, slot)
);
CREATE TABLE IF NOT EXISTS notice_lifecycle (
  notice_id TEXT PRIMARY KEY,
  header_sha256 TEXT,
  retention_class TEXT NOT NULL,
  review_at INTEGER,
  depersonalise_at INTEGER,
  limit_at INTEGER,
  state TEXT NOT NULL DEFAULT 'active',
  changed_at INTEGER,
  code TEXT,
  replaced_by TEXT
);
CREATE INDEX IF NOT EXISTS lifecycle_due ON notice_lifecycle (state, review_at, limit_at);
CREATE TABLE IF NOT EXISTS reviews (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  notice_id TEXT NOT NULL,
  decision TEXT NOT NULL,
  reason TEXT NOT NULL,
  until INTEGER,
  officer_id TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS pnr_full (
  notice_id TEXT PRIMARY KEY,
  nonce BLOB NOT NULL,
  ciphertext BLOB NOT NULL
);
`;
