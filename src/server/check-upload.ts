// What an upload is, once checked (validate.ts): its id and what the list
// shows, and its file cut into pieces with their hashes (recordings.ts says
// how). Runs on the upload worker (upload.worker.ts), so a large upload does
// not hold the server's requests while it is read and hashed.
import { closeSync, openSync } from 'node:fs';
import { nodeSha256 } from '../engine/node/hash';
import { FILE_HEADER_BYTES, FRAME_OVERHEAD, RecordType } from '../shared/recording/format';
import type { RecordingSource } from '../shared/recording/source';
import { toHex } from '../shared/sha256';
import { HASH_BYTES } from '../shared/recording/merkle';
import { PackStore } from './packs';
import { validateRecordingFile } from './validate';

/** Records between blobs are grouped into pieces of at most this many bytes (a longer record is a piece of its own). */
const RUN_PIECE_BYTES = 1 << 20;

export interface Piece {
  offset: number;
  length: number;
}

export interface CheckedUpload {
  id: string;
  /** The commands the session typed, joined; or "Recording". */
  title: string;
  /** End tick, decimal. */
  ticks: string;
  slices: number;
  image: string;
  bytes: number;
  pieces: Piece[];
  /** sha256 of each piece's bytes, one after another. */
  hashes: Uint8Array;
}

/** The file cut into pieces: each BLOB record alone, the records between blobs in runs (the recording is valid, so every frame is). */
export function cutPieces(source: RecordingSource): Piece[] {
  const pieces: Piece[] = [];
  let run: Piece = { offset: 0, length: FILE_HEADER_BYTES };
  const flush = () => {
    if (run.length > 0) pieces.push(run);
  };
  for (let at = FILE_HEADER_BYTES; at < source.size; ) {
    const head = source.read(at, 5);
    const length = FRAME_OVERHEAD + new DataView(head.buffer, head.byteOffset, 5).getUint32(1, true);
    if (head[0] === RecordType.blob) {
      flush();
      pieces.push({ offset: at, length });
      run = { offset: at + length, length: 0 };
    } else if (run.length > 0 && run.length + length > RUN_PIECE_BYTES) {
      flush();
      run = { offset: at, length };
    } else {
      run.length += length;
    }
    at += length;
  }
  flush();
  return pieces;
}

/** Checks the upload at `path` fully and cuts it into hashed pieces; throws the reader's PrnrError if it is not a finished, intact recording. */
export function checkUpload(path: string): CheckedUpload {
  const { rec, source } = validateRecordingFile(path);
  try {
    const pieces = cutPieces(source);
    const hashes = new Uint8Array(pieces.length * HASH_BYTES);
    for (const [i, p] of pieces.entries()) hashes.set(nodeSha256(source.read(p.offset, p.length)), i * HASH_BYTES);
    const commands = rec.header.session.commands;
    return {
      id: toHex(rec.digest),
      title: commands.length > 0 ? commands.join(' · ') : 'Recording',
      ticks: rec.snapshots[rec.snapshots.length - 1].tick.toString(),
      slices: rec.slices.length,
      image: rec.header.image.name,
      bytes: source.size,
      pieces,
      hashes,
    };
  } finally {
    source.close();
  }
}

/** Copies the given pieces of the upload at `path` into a new pack of the store in `dataDir` (packs.ts). */
export function packUpload(dataDir: string, path: string, pieces: readonly Piece[]): { name: string; bytes: number; at: number[] } {
  const fd = openSync(path, 'r');
  try {
    return new PackStore(dataDir).writePack(pieces.map((p) => ({ fd, offset: p.offset, length: p.length })));
  } finally {
    closeSync(fd);
  }
}

/** What the upload worker serves (upload.worker.ts), and what runs in-thread without one. */
export interface UploadWorkerApi {
  check(path: string): CheckedUpload | Promise<CheckedUpload>;
  pack(dataDir: string, path: string, pieces: Piece[]): { name: string; bytes: number; at: number[] } | Promise<{ name: string; bytes: number; at: number[] }>;
}

export const inThreadUploads: UploadWorkerApi = { check: checkUpload, pack: packUpload };
