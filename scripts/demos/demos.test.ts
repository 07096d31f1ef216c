// The demo recordings in public/demos: each is what its manifest says (size,
// sha256, digest as id, ticks, slices, the spec of ./demos.ts), every slice
// verifies with `prnr replay`, and `npm run demos` records them again byte for
// byte (same seed, same commands, same machine: the same recording).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeOpenOptions } from '../../src/engine/node/codecs';
import { sha256Hex } from '../../src/engine/node/images';
import { openRecording } from '../../src/shared/recording/reader';
import { bytesSource } from '../../src/shared/recording/source';
import { toHex } from '../../src/shared/sha256';
import { DEMOS } from './demos';
import { DEFAULT_DEMOS_DIR, makeDemos, readManifest } from './make';

const STALE = 'the committed demos are stale: run npm run demos (and commit public/demos)';
const manifest = readManifest(DEFAULT_DEMOS_DIR);
const work = mkdtempSync(join(tmpdir(), 'prnr-demos-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function demoBytes(file: string): { gz: Buffer; bytes: Uint8Array } {
  const gz = readFileSync(join(DEFAULT_DEMOS_DIR, file));
  return { gz, bytes: new Uint8Array(gunzipSync(gz)) };
}

describe('the demo recordings', () => {
  it('has a manifest listing every demo of scripts/demos/demos.ts, with the first tour, fork and pipe, file I/O and two diverge runs', () => {
    expect(manifest, 'public/demos/manifest.json is missing: run npm run demos').toBeDefined();
    const demos = manifest!.demos;
    expect(demos.map((d) => d.name)).toEqual(DEMOS.map((d) => d.name));
    for (const [i, spec] of DEMOS.entries()) {
      expect(demos[i]).toMatchObject({ title: spec.title, about: spec.about, commands: spec.commands, seed: spec.seed.toString() });
      expect(demos[i].about).toHaveLength(2);
    }
    const commands = demos.flatMap((d) => d.commands);
    for (const expected of ['uname -a', 'ls /', '/demo/forkpipe', '/demo/diverge a', '/demo/diverge b']) expect(commands).toContain(expected);
    expect(commands.some((c) => c.includes('/data'))).toBe(true);
    // Small enough to ship: every recording starts with a Linux boot (about 8.5 MB, 3.5 MB gzipped).
    const total = demos.reduce((n, d) => n + d.fileBytes, 0);
    expect(total).toBeLessThan(24e6);
  });

  it('holds recordings that match the manifest: size, sha256, id = digest, ticks, slices, complete', () => {
    for (const demo of manifest!.demos) {
      const { gz, bytes } = demoBytes(demo.file);
      expect(gz.length, demo.name).toBe(demo.fileBytes);
      expect(bytes.length, demo.name).toBe(demo.bytes);
      expect(sha256Hex(bytes), demo.name).toBe(demo.sha256);
      const rec = openRecording(bytesSource(bytes, demo.file), nodeOpenOptions);
      expect(rec.complete, demo.name).toBe(true);
      expect(toHex(rec.digest), demo.name).toBe(demo.id);
      expect(rec.snapshots[rec.snapshots.length - 1].tick.toString(), demo.name).toBe(demo.ticks);
      expect(rec.slices.length, demo.name).toBe(demo.slices);
      expect(rec.header.image.name).toBe('default');
      expect(rec.header.machine.entropySeed).toBe(demo.seed);
      expect(rec.header.session.commands).toEqual(demo.commands);
    }
  });

  it('verifies every slice of every demo with prnr replay', () => {
    for (const demo of manifest!.demos) {
      const path = join(work, `${demo.name}.prnr`);
      writeFileSync(path, demoBytes(demo.file).bytes);
      // execFileSync throws on a non-zero exit, i.e. on any slice that does not verify.
      const out = execFileSync(process.execPath, [join(DEFAULT_DEMOS_DIR, '..', '..', 'bin', 'prnr.js'), 'replay', path, '--jobs', '2'], { encoding: 'utf8' });
      expect(out.split('\n').filter((line) => /^slice +\d+ .* verified /.test(line)), `${demo.name}:\n${out}`).toHaveLength(demo.slices);
    }
  }, 300_000);

  it('is recorded again byte for byte by npm run demos', () => {
    const again = makeDemos(join(work, 'again'), () => undefined);
    const strip = (m: typeof again) => m.demos.map(({ fileBytes: _gzip, ...rest }) => rest);
    expect(strip(again), STALE).toEqual(strip(manifest!));
  }, 300_000);
});
