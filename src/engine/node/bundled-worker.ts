// The one way Node hosts start a worker_thread from a TypeScript entry: the
// entry and everything it imports are bundled into one ES module by esbuild
// (the compiler tsx itself runs on), cached in node_modules/.cache/prnr-workers
// and rebuilt when one of its sources changes. A bundle starts in a few tens
// of milliseconds; registering tsx inside the worker instead cost ~0.35 s of
// CPU, which a worker cannot spend beside a running machine on a 2-core host.
// A built .js entry starts directly.
//
// Inside a bundle, import.meta.url is the bundle's: a worker must not resolve
// files relative to its sources, but take their paths from the parent
// (workerData), as the engine worker does (engine-host.ts).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { buildSync } from 'esbuild';

const cacheDir = fileURLToPath(new URL('../../../node_modules/.cache/prnr-workers/', import.meta.url));

export function startBundledWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  // No execArgv: under `tsx` it holds tsx's loader, which the bundle does not need and would cost the start saved here.
  return new Worker(bundle(fileURLToPath(entry)), { execArgv: [], ...options });
}

type Stamp = Array<[path: string, mtimeMs: number, size: number]>;

function stampOf(path: string): Stamp[number] {
  const s = statSync(path);
  return [path, s.mtimeMs, s.size];
}

function fresh(stampPath: string): boolean {
  try {
    const stamp = JSON.parse(readFileSync(stampPath, 'utf8')) as Stamp;
    return stamp.every(([path, mtimeMs, size]) => {
      const now = stampOf(path);
      return now[1] === mtimeMs && now[2] === size;
    });
  } catch {
    return false;
  }
}

/** The bundle of `entry`, rebuilt if missing or stale; written by rename, so concurrent builders never see half a file. */
function bundle(entry: string): URL {
  const name = `${entry.replace(/^.*\/|\.ts$/g, '')}-${createHash('sha256').update(entry).digest('hex').slice(0, 8)}`;
  const out = join(cacheDir, `${name}.mjs`);
  const stampPath = `${out}.inputs.json`;
  if (fresh(stampPath)) return pathToFileURL(out);
  const result = buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', write: false, metafile: true, outfile: out, logLevel: 'silent' });
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, result.outputFiles[0].contents);
  renameSync(tmp, out);
  const inputs = Object.keys(result.metafile.inputs).map((p) => resolve(p));
  writeFileSync(`${stampPath}.${process.pid}.tmp`, JSON.stringify(inputs.map(stampOf)));
  renameSync(`${stampPath}.${process.pid}.tmp`, stampPath);
  return pathToFileURL(out);
}
