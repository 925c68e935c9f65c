import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * The station's one SQLite file (better-sqlite3, WAL): the inbox (content
 * encrypted, see inbox-crypto.ts), the outbox (what officers published: header
 * metadata and the gate's answer, no content), officers, sessions and the access log. The
 * access log's table refuses UPDATE and DELETE by trigger; its Merkle tree and
 * signed checkpoints make any change outside SQLite detectable.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS station_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS inbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  notice_id TEXT NOT NULL UNIQUE,
  received_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  sender TEXT NOT NULL,
  kind TEXT NOT NULL,
  priority TEXT NOT NULL,
  level TEXT NOT NULL,
  case_reference TEXT,
  crime_areas TEXT NOT NULL,
  review_at INTEGER,
  first_opened_at INTEGER,
  receipt_sent_at INTEGER,
  nonce BLOB NOT NULL,
  ciphertext BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS inbox_order ON inbox (priority, received_at);
CREATE INDEX IF NOT EXISTS inbox_case ON inbox (case_reference);
CREATE TABLE IF NOT EXISTS officers (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER,
  created_at INTEGER NOT NULL,
  created_by TEXT
);
CREATE TABLE IF NOT EXISTS sessions (
  id_hash TEXT PRIMARY KEY,
  officer_id TEXT NOT NULL REFERENCES officers(id),
  csrf TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox (
  notice_id TEXT PRIMARY KEY,
  sent_at INTEGER NOT NULL,
  officer_id TEXT NOT NULL REFERENCES officers(id),
  kind TEXT NOT NULL,
  priority TEXT NOT NULL,
  case_reference TEXT,
  header_sha256 TEXT NOT NULL,
  access_seq INTEGER NOT NULL,
  status TEXT NOT NULL,
  code TEXT,
  recipients TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS access_log (
  seq INTEGER PRIMARY KEY,
  entry TEXT NOT NULL,
  signature TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS access_log_no_update BEFORE UPDATE ON access_log
  BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS access_log_no_delete BEFORE DELETE ON access_log
  BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
`;

/** Opens (creating) the station's database; the file and its directory are private. */
export function openDb(file: string): Db {
  if (file !== ':memory:') {
    const dir = dirname(file);
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
  const db = new Database(file);
  if (file !== ':memory:') chmodSync(file, 0o600);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);
  return db;
}

export function getMeta(db: Db, key: string): string | undefined {
  return (
    db.prepare('SELECT value FROM station_meta WHERE key = ?').get(key) as { value: string } | undefined
  )?.value;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare(
    'INSERT INTO station_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}
