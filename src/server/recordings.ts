// Recordings in the server's store (docs/design.md 6). A recording's file is
// kept as a sequence of pieces, each content-addressed by the sha256 of its
// bytes: every BLOB record (a RAM page, a disk block, a CPU/device state) is
// a piece of its own, and the records between blobs (header, inputs, output,
// snapshots, index, END) are grouped into pieces of up to 1 MiB
// (check-upload.ts). A piece the store already holds (the same page in
// another recording of the same image) is not stored again. The file is
// reassembled byte for byte from its layout, so what is served is exactly
// what was uploaded and its digest is its id. Uploads are stored one at a
// time (checked and packed on the upload worker), so two of them never race
// for the same pieces or the same id.
import { rmSync } from 'node:fs';
import { HASH_BYTES } from '../shared/recording/merkle';
import { type SharedRecording } from '../shared/server-api';
import type { UploadWorkerApi } from './check-upload';
import type { Db } from './db';
import type { PackStore } from './packs';

/** Adjacent pieces of one pack are read in one go up to this many bytes. */
const READ_COALESCE_BYTES = 1 << 20;

export interface StoredRecording {
  id: string;
  /** Bytes written to the store for it (0 when it was there already). */
  storedBytes: number;
  existing: boolean;
}

interface RecordingRow {
  id: string;
  title: string;
  ticks: string;
  slices: number;
  bytes: number;
  image: string;
  created: string;
}

interface LayoutRow {
  offset: number;
  length: number;
  pack: string;
  at: number;
}

export class RecordingStore {
  private readonly q;
  /** The upload being stored: the next waits for it. */
  private storing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly packs: PackStore,
    private readonly uploads: UploadWorkerApi,
    private readonly dataDir: string,
  ) {
    this.q = {
      recording: db.prepare<[string], RecordingRow>('SELECT id, title, ticks, slices, bytes, image, created FROM recordings WHERE id = ?'),
      list: db.prepare<[number, number], RecordingRow>('SELECT id, title, ticks, slices, bytes, image, created FROM recordings ORDER BY seq DESC LIMIT ? OFFSET ?'),
      count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM recordings'),
      piece: db.prepare<[Buffer], { pack: string; at: number }>('SELECT pack, at FROM pieces WHERE hash = ?'),
      addPack: db.prepare('INSERT OR IGNORE INTO packs (name, bytes) VALUES (?, ?)'),
      addPiece: db.prepare('INSERT OR IGNORE INTO pieces (hash, pack, at, length) VALUES (?, ?, ?, ?)'),
      addRecording: db.prepare('INSERT INTO recordings (id, title, ticks, slices, bytes, image, created, seq) VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM recordings))'),
      addLayout: db.prepare('INSERT INTO layout (recording, offset, length, pack, at) VALUES (?, ?, ?, ?, ?)'),
      range: db.prepare<[string, string, number, number], LayoutRow>(
        'SELECT offset, length, pack, at FROM layout WHERE recording = ? AND offset >= coalesce((SELECT offset FROM layout WHERE recording = ? AND offset <= ? ORDER BY offset DESC LIMIT 1), 0) AND offset < ? ORDER BY offset',
      ),
      packNames: db.prepare<[], { name: string }>('SELECT name FROM packs'),
    };
  }

  /** The packs the database names (what recovery keeps). */
  packNames(): Set<string> {
    return new Set(this.q.packNames.all().map((r) => r.name));
  }

  /**
   * Checks the upload at `path` (validate.ts) and stores it: new pieces durably in one pack, then one
   * transaction that makes it visible. Throws the reader's error for anything invalid; stores nothing then.
   * The file at `path` is removed either way.
   */
  ingest(path: string, title?: string): Promise<StoredRecording> {
    const run = this.storing.then(() => this.store(path, title));
    this.storing = run.catch(() => undefined);
    return run;
  }

  private async store(path: string, title?: string): Promise<StoredRecording> {
    try {
      const checked = await this.uploads.check(path);
      const { id, pieces } = checked;
      if (this.q.recording.get(id)) return { id, storedBytes: 0, existing: true };
      const hashes = pieces.map((_, i) => Buffer.from(checked.hashes.buffer, checked.hashes.byteOffset + i * HASH_BYTES, HASH_BYTES));
      const placed: Array<{ pack: string; at: number } | undefined> = hashes.map((h) => this.q.piece.get(h));
      // Pieces new to the store, each once (a recording may hold the same page twice).
      const fresh = new Map<string, number[]>();
      for (const [i, place] of placed.entries()) {
        if (place) continue;
        const key = hashes[i].toString('hex');
        const list = fresh.get(key);
        if (list) list.push(i);
        else fresh.set(key, [i]);
      }
      const firsts = [...fresh.values()].map((list) => list[0]);
      const pack = firsts.length > 0 ? await this.uploads.pack(this.dataDir, path, firsts.map((i) => pieces[i])) : undefined;
      if (pack) {
        for (const [k, i] of firsts.entries()) {
          for (const j of fresh.get(hashes[i].toString('hex'))!) placed[j] = { pack: pack.name, at: pack.at[k] };
        }
      }
      const created = new Date().toISOString();
      this.db.transaction(() => {
        if (pack) {
          this.q.addPack.run(pack.name, pack.bytes);
          for (const [k, i] of firsts.entries()) this.q.addPiece.run(hashes[i], pack.name, pack.at[k], pieces[i].length);
        }
        this.q.addRecording.run(id, title ?? checked.title, checked.ticks, checked.slices, checked.bytes, checked.image, created);
        for (const [i, p] of pieces.entries()) this.q.addLayout.run(id, p.offset, p.length, placed[i]!.pack, placed[i]!.at);
      })();
      return { id, storedBytes: pack?.bytes ?? 0, existing: false };
    } finally {
      rmSync(path, { force: true });
    }
  }

  get(id: string): Omit<SharedRecording, 'url'> | undefined {
    return this.q.recording.get(id);
  }

  /** Newest first: `limit` of them from `offset` on (all by default). */
  list(limit = Number.MAX_SAFE_INTEGER, offset = 0): Array<Omit<SharedRecording, 'url'>> {
    return this.q.list.all(limit, offset);
  }

  count(): number {
    return this.q.count.get()!.n;
  }

  /** The bytes [start, end) of recording `id`'s file, reassembled from its pieces, in order. */
  async *read(id: string, start: number, end: number): AsyncGenerator<Buffer> {
    const rows = this.q.range.all(id, id, start, end);
    let i = 0;
    while (i < rows.length) {
      // Pieces stored one after another in one pack (one upload's new pieces) are read at once.
      const first = rows[i];
      let length = first.length;
      let j = i + 1;
      while (j < rows.length && rows[j].pack === first.pack && rows[j].at === first.at + length && length < READ_COALESCE_BYTES) length += rows[j++].length;
      const from = Math.max(start, first.offset);
      const to = Math.min(end, first.offset + length);
      if (to > from) yield await this.packs.read(first.pack, first.at + (from - first.offset), to - from);
      i = j;
    }
  }
}
