import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PartialKey } from '../analyze/run';
import { AnalysisStore } from './analysis-store';

const dir = mkdtempSync(join(tmpdir(), 'prnr-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const key: PartialKey = { recording: 'ab'.repeat(32), dimension: 'syscalls', version: 2, code: 'c4e4a301187643af', params: { strsize: 32 }, slice: 7 };

describe('AnalysisStore', () => {
  it('gives back a partial, bigints and bytes included, only for the same recording, dimension, version, code, parameters and slice', () => {
    const store = new AnalysisStore(dir);
    const partial = { calls: [{ tick: 123456789012345678901234567890n, data: new Uint8Array([0, 255, 10]) }], note: null };
    store.put(key, partial);
    expect(store.get(key)).toEqual(partial);
    expect(new AnalysisStore(dir).get({ ...key, params: { strsize: 32 } })).toEqual(partial); // another store, the same directory
    for (const other of [{ recording: 'cd'.repeat(32) }, { version: 3 }, { code: 'ffffffffffffffff' }, { params: { strsize: 64 } }, { slice: 8 }, { dimension: 'processes' }]) {
      expect(store.get({ ...key, ...other }), JSON.stringify(other)).toBeUndefined();
    }
  });

  it('treats a damaged cache file as no answer', () => {
    const store = new AnalysisStore(dir);
    store.put({ ...key, slice: 1 }, { ok: true });
    const folder = join(dir, 'cache', 'syscalls', readdirSync(join(dir, 'cache', 'syscalls'))[0]);
    writeFileSync(join(folder, 'slice-00001.json'), '{"key": trunc');
    expect(store.get({ ...key, slice: 1 })).toBeUndefined();
  });

  it('writes a result with its provenance under its label', () => {
    const store = new AnalysisStore(dir);
    const path = store.writeResult('watch-0x80-8', { recording: key.recording, analysis: 'watch', version: 2, code: '', params: { addr: 128, length: 8 }, slices: [0, 1] }, { writes: [] });
    expect(path).toBe(join(dir, 'watch-0x80-8.json'));
  });
});
