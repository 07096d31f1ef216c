// The server's metadata (docs/design.md 6): SQLite in WAL mode through
// better-sqlite3, synchronous=FULL so that a committed transaction survives a
// crash. What is here is visible: a recording becomes listed by the one
// transaction that also records its layout, after its packs are durable.
//
//   packs      pack files under packs/, by name (the sha256 of their bytes)
//   pieces     every stored piece (a blob record, or a run of other records) by the sha256 of its bytes: where it is
//   recordings one row per recording, by id (its digest)
//   layout     a recording's file as a sequence of pieces: (recording, offset in the file) -> piece's place
//   notes      notes pinned to ticks
//   analyses   analysis partials by (recording, dimension, version, code, params, slice): the first sent for a key
//   analysis_disputes  every other value sent for a key (by its sha256): a key with one is disputed, not served
//   analysis_verified  keys whose stored partial the server derived itself (then served whatever was sent)
import Database from 'better-sqlite3';

export type Db = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS packs (name TEXT PRIMARY KEY, bytes INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pieces (hash BLOB PRIMARY KEY, pack TEXT NOT NULL, at INTEGER NOT NULL, length INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS recordings (
  id TEXT PRIMARY KEY, title TEXT NOT NULL, ticks TEXT NOT NULL, slices INTEGER NOT NULL,
  bytes INTEGER NOT NULL, image TEXT NOT NULL, created TEXT NOT NULL, seq INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS layout (
  recording TEXT NOT NULL, offset INTEGER NOT NULL, length INTEGER NOT NULL, pack TEXT NOT NULL, at INTEGER NOT NULL,
  PRIMARY KEY (recording, offset)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS notes (
  id INTEGER PRIMARY KEY AUTOINCREMENT, recording TEXT NOT NULL, tick TEXT NOT NULL,
  author TEXT NOT NULL, text TEXT NOT NULL, created TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS notes_by_recording ON notes (recording, id);
CREATE TABLE IF NOT EXISTS analyses (
  recording TEXT NOT NULL, dimension TEXT NOT NULL, version INTEGER NOT NULL, code TEXT NOT NULL, params TEXT NOT NULL,
  slice INTEGER NOT NULL, partial TEXT NOT NULL, created TEXT NOT NULL,
  PRIMARY KEY (recording, dimension, version, code, params, slice)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS analysis_disputes (
  recording TEXT NOT NULL, dimension TEXT NOT NULL, version INTEGER NOT NULL, code TEXT NOT NULL, params TEXT NOT NULL,
  slice INTEGER NOT NULL, sha256 TEXT NOT NULL, sender TEXT NOT NULL, created TEXT NOT NULL,
  PRIMARY KEY (recording, dimension, version, code, params, slice, sha256)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS analysis_verified (
  recording TEXT NOT NULL, dimension TEXT NOT NULL, version INTEGER NOT NULL, code TEXT NOT NULL, params TEXT NOT NULL,
  slice INTEGER NOT NULL, sha256 TEXT NOT NULL, created TEXT NOT NULL,
  PRIMARY KEY (recording, dimension, version, code, params, slice)
) WITHOUT ROWID;
`;

export function openDatabase(path: string): Db {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);
  return db;
}
