// `npm run demos [-- --out DIR]`: records the demo recordings of ./demos.ts
// with the CLI's recorder (`prnr record --seed N --cmd ...`, the default
// image) and writes them, gzip-compressed, with their manifest to DIR
// (default public/demos, which Vite copies into the app, so `npm start`
// serves them). The same seed and commands record the same bytes, so a
// re-run reproduces every recording exactly; a .gz whose recording is
// unchanged is left as it is (a different zlib would only re-encode it).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { nodeOpenOptions } from '../../src/engine/node/codecs';
import { sha256Hex } from '../../src/engine/node/images';
import { DEMO_MANIFEST_FORMAT, DEMO_MANIFEST_VERSION, parseDemoManifest, type DemoEntry, type DemoManifest } from '../../src/shared/demo-manifest';
import { openRecording } from '../../src/shared/recording/reader';
import { bytesSource } from '../../src/shared/recording/source';
import { toHex } from '../../src/shared/sha256';
import { DEMOS, type DemoSpec } from './demos';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const DEFAULT_DEMOS_DIR = join(root, 'public', 'demos');
export const MANIFEST_NAME = 'manifest.json';

/** Records one demo with `prnr record` and returns the recording's bytes. */
function record(spec: DemoSpec, workDir: string): Uint8Array {
  const out = join(workDir, `${spec.name}.prnr`);
  const args = [join(root, 'bin', 'prnr.js'), 'record', '--seed', spec.seed.toString(), '-o', out, '--force'];
  for (const command of spec.commands) args.push('--cmd', command);
  execFileSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  return new Uint8Array(readFileSync(out));
}

/** The manifest entry of a recording, from the recording itself. */
function describe(spec: DemoSpec, bytes: Uint8Array, fileBytes: number): DemoEntry {
  const rec = openRecording(bytesSource(bytes, spec.name), nodeOpenOptions);
  if (!rec.complete) throw new Error(`${spec.name}: the recording has no END`);
  return {
    id: toHex(rec.digest),
    name: spec.name,
    title: spec.title,
    about: [...spec.about],
    file: `${spec.name}.prnr.gz`,
    fileBytes,
    bytes: bytes.length,
    sha256: sha256Hex(bytes),
    ticks: rec.snapshots[rec.snapshots.length - 1].tick.toString(),
    slices: rec.slices.length,
    seed: spec.seed.toString(),
    commands: [...spec.commands],
  };
}

/** The manifest in `dir`, if there is one. */
export function readManifest(dir: string): DemoManifest | undefined {
  const path = join(dir, MANIFEST_NAME);
  return existsSync(path) ? parseDemoManifest(readFileSync(path, 'utf8')) : undefined;
}

/** The gzip file already in `dir` for this recording, if it holds exactly these bytes. */
function unchangedGzip(dir: string, file: string, sha256: string): Uint8Array | undefined {
  const path = join(dir, file);
  if (!existsSync(path)) return undefined;
  const gz = new Uint8Array(readFileSync(path));
  try {
    return sha256Hex(gunzipSync(gz)) === sha256 ? gz : undefined;
  } catch {
    return undefined;
  }
}

/** Records every demo into `outDir` and writes its manifest; returns the manifest. */
export function makeDemos(outDir: string, log: (line: string) => void = console.log): DemoManifest {
  mkdirSync(outDir, { recursive: true });
  const workDir = mkdtempSync(join(tmpdir(), 'prnr-demos-'));
  const demos: DemoEntry[] = [];
  try {
    for (const spec of DEMOS) {
      const bytes = record(spec, workDir);
      const file = `${spec.name}.prnr.gz`;
      const sha256 = sha256Hex(bytes);
      let gz = unchangedGzip(outDir, file, sha256);
      const kept = gz !== undefined;
      gz ??= new Uint8Array(gzipSync(bytes, { level: 9 }));
      if (!kept) writeFileSync(join(outDir, file), gz);
      const entry = describe(spec, bytes, gz.length);
      demos.push(entry);
      log(`${spec.name.padEnd(14)} ${entry.ticks.padStart(10)} ticks ${String(entry.slices).padStart(3)} slices ${(entry.bytes / 1e6).toFixed(2).padStart(6)} MB, ${(entry.fileBytes / 1e6).toFixed(2).padStart(5)} MB gzipped${kept ? ' (unchanged)' : ''}  ${entry.id}`);
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  const listed = new Set(demos.map((d) => d.file));
  for (const name of readdirSync(outDir)) if (name.endsWith('.prnr.gz') && !listed.has(name)) rmSync(join(outDir, name));
  const manifest: DemoManifest = { format: DEMO_MANIFEST_FORMAT, version: DEMO_MANIFEST_VERSION, demos };
  writeFileSync(join(outDir, MANIFEST_NAME), `${JSON.stringify(manifest, null, 2)}\n`);
  const total = demos.reduce((n, d) => n + d.fileBytes, 0);
  log(`${demos.length} demos, ${(total / 1e6).toFixed(2)} MB in ${outDir}`);
  return manifest;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  makeDemos(resolve(values.out ?? DEFAULT_DEMOS_DIR));
}
