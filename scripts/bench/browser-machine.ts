// Guest MIPS in Chromium (issue 14): cpubench (./cpubench-run.ts) in a
// dedicated Web Worker, unpaced, with the JIT and with the interpreter alone,
// beside the same steps in Node in this process, runs interleaved so all four
// see the same load; medians. Target: Chromium within 1.2x of Node. Node
// compiles the machine with TurboFan from the start (--no-liftoff,
// src/engine/node/machine-module.ts); a stock Chromium starts in Liftoff and
// swaps optimised code in only at a function's next call, so the rows also
// give the boot's MIPS in its first second against later, and two
// diagnostics (users' browsers take no flags): the same Chromium with
// --js-flags=--no-liftoff (TurboFan from the start, as Node) and with
// --js-flags=--no-wasm-tier-up (Liftoff only: stock figures above it show
// that the machine and the JIT's modules did tier up). The worker is bundled
// with esbuild and served with the machine and the image from a local HTTP
// server (the machine with the headers of a hashed asset).
//   npm run bench -- --only browser-machine [--runs N]
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { loadavg } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { loadNodeBootConfig } from '../../src/engine/node/images';
import { compileMachineModule, defaultMachineWasmPath } from '../../src/engine/node/machine-module';
import { bundleWorker, runWorker } from '../../e2e/helpers/machine-worker';
import { Machine } from '../../src/engine/machine';
import { launchBenchBrowser } from './browser';
import { mipsBetween, runCpubench, type CpubenchRun } from './cpubench-run';
import type { BrowserMachineReply, BrowserMachineRequest } from './browser-machine.worker';
import { median, type BenchRow } from './stats';

const IMAGES_DIR = fileURLToPath(new URL('../../public/images', import.meta.url));
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.html': 'text/html' };

/** / (an empty page), /worker.js, /machine.wasm and /images/... on a free port. */
async function serve(worker: string): Promise<{ url: string; server: Server }> {
  const wasm = await readFile(defaultMachineWasmPath);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const send = (body: string | Buffer, type: string, cache = 'no-cache') => res.writeHead(200, { 'content-type': type, 'cache-control': cache }).end(body);
    if (path === '/') return send('<!doctype html><title>browser-machine</title>', TYPES['.html']!);
    if (path === '/worker.js') return send(worker, TYPES['.js']!);
    if (path === '/machine.wasm') return send(wasm, TYPES['.wasm']!, 'public, max-age=31536000, immutable');
    const file = normalize(path).replace(/^\/images\//, '');
    if (!path.startsWith('/images/') || file.startsWith('..')) return res.writeHead(404).end();
    readFile(join(IMAGES_DIR, file)).then((bytes) => send(bytes, TYPES[extname(file)] ?? 'application/octet-stream'), () => res.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { url: `http://127.0.0.1:${address.port}`, server };
}

/** One run in a fresh dedicated worker of `page` (a fresh compile of the machine, as a page opening the app). */
async function runInWorker(page: Page, jit: boolean): Promise<CpubenchRun> {
  const reply = await runWorker<BrowserMachineRequest, BrowserMachineReply>(page, '/worker.js', { wasmUrl: '/machine.wasm', jit });
  if (!reply.ok) throw new Error(`browser-machine worker: ${reply.error}`);
  return reply.run;
}

async function runInNode(module: WebAssembly.Module, jit: boolean): Promise<CpubenchRun> {
  const { config, image } = await loadNodeBootConfig('default');
  const machine = await Machine.create(module, { jit });
  return runCpubench(machine, config, image.manifest.prompt, () => performance.now());
}

const mips = (r: CpubenchRun) => r.programTicks / r.programMs / 1000;

/** The boot's MIPS over each second from the machine's creation on, as text. */
function timeline(r: CpubenchRun): string {
  const out: string[] = [];
  for (let s = 0; s * 1000 < r.bootMs; s++) out.push(mipsBetween(r.samples, s * 1000, Math.min(r.bootMs, (s + 1) * 1000)).toFixed(0));
  return out.join(' ');
}

export async function benchBrowserMachine(runs: number, log: (line: string) => void): Promise<BenchRow[]> {
  log('browser-machine: bundling the worker');
  const { url, server } = await serve(await bundleWorker(new URL('./browser-machine.worker.ts', import.meta.url)));
  const module = await compileMachineModule();
  const browsers: Record<'stock' | 'noLiftoff' | 'liftoffOnly', Browser> = {
    stock: await launchBenchBrowser(),
    noLiftoff: await launchBenchBrowser(['--js-flags=--no-liftoff']),
    liftoffOnly: await launchBenchBrowser(['--js-flags=--no-wasm-tier-up']),
  };
  const kinds = ['node', 'stock', 'noLiftoff', 'liftoffOnly'] as const;
  const results = Object.fromEntries(kinds.flatMap((k) => [[`${k} jit`, [] as CpubenchRun[]], [`${k} interpreter`, [] as CpubenchRun[]]])) as Record<string, CpubenchRun[]>;
  const load: number[] = [];
  try {
    const pages = { stock: await browsers.stock.newPage(), noLiftoff: await browsers.noLiftoff.newPage(), liftoffOnly: await browsers.liftoffOnly.newPage() };
    for (const page of Object.values(pages)) await page.goto(`${url}/`);
    for (let i = 0; i < runs; i++) {
      for (const jit of [false, true]) {
        const mode = jit ? 'jit' : 'interpreter';
        for (const kind of kinds) {
          load.push(loadavg()[0]!);
          const run = kind === 'node' ? await runInNode(module, jit) : await runInWorker(pages[kind], jit);
          results[`${kind} ${mode}`]!.push(run);
          log(`browser-machine: run ${i + 1}/${runs} ${kind} ${mode}: boot ${run.bootMs.toFixed(0)} ms (MIPS per second: ${timeline(run)}), cpubench ${mips(run).toFixed(0)} MIPS, JIT ${run.jit.translations} translations, ${run.jit.translateMs.toFixed(0)} ms translating, ${run.jit.compileMs.toFixed(0)} ms compiling, load ${loadavg()[0]!.toFixed(1)}`);
        }
      }
    }
  } finally {
    await Promise.all(Object.values(browsers).map((b) => b.close()));
    server.close();
  }
  const checksums = new Set(Object.values(results).flat().map((r) => r.checksum));
  if (checksums.size !== 1 || checksums.has(undefined)) throw new Error(`cpubench printed different checksums: ${[...checksums].join(', ')}`);
  const m = (key: string) => median(results[key]!.map(mips));
  const early = (key: string) => median(results[key]!.map((r) => mipsBetween(r.samples, 0, Math.min(1000, r.bootMs))));
  const late = (key: string) => median(results[key]!.map((r) => mipsBetween(r.samples, Math.min(1000, r.bootMs), r.bootMs)));
  const note = `median of ${runs}; load average ${median(load).toFixed(1)}`;
  const rows: BenchRow[] = [];
  const jitCost = (key: string) => median(results[key]!.map((r) => r.jit.translateMs + r.jit.compileMs));
  for (const mode of ['jit', 'interpreter'] as const) {
    const name = mode === 'jit' ? 'JIT' : 'interpreter';
    const bootMs = (key: string) => median(results[key]!.map((r) => r.bootMs));
    rows.push(
      { name: `guest MIPS (cpubench, Chromium worker, ${name})`, value: m(`stock ${mode}`), unit: 'MIPS', note },
      { name: `guest MIPS (cpubench, Node, ${name})`, value: m(`node ${mode}`), unit: 'MIPS', note: 'same run, interleaved' },
      { name: `Node / Chromium, cpubench, ${name}`, value: m(`node ${mode}`) / m(`stock ${mode}`), unit: 'x', note: 'target <= 1.2' },
      { name: `guest MIPS (cpubench, Chromium --no-liftoff, ${name})`, value: m(`noLiftoff ${mode}`), unit: 'MIPS', note: 'diagnostic: TurboFan from the start, as Node' },
      { name: `guest MIPS (cpubench, Chromium --no-wasm-tier-up, ${name})`, value: m(`liftoffOnly ${mode}`), unit: 'MIPS', note: 'diagnostic: Liftoff only; stock above it means tier-up happened' },
      { name: `boot MIPS in its first second, Chromium worker, ${name}`, value: early(`stock ${mode}`), unit: 'MIPS', note: `Liftoff until tier-up; after it ${late(`stock ${mode}`).toFixed(0)}; --no-liftoff ${early(`noLiftoff ${mode}`).toFixed(0)} then ${late(`noLiftoff ${mode}`).toFixed(0)}; Node ${early(`node ${mode}`).toFixed(0)} then ${late(`node ${mode}`).toFixed(0)}` },
      { name: `boot to prompt, Chromium worker, ${name}`, value: bootMs(`stock ${mode}`), unit: 'ms', note: `Node ${bootMs(`node ${mode}`).toFixed(0)} ms, Chromium --no-liftoff ${bootMs(`noLiftoff ${mode}`).toFixed(0)} ms; ${results[`stock ${mode}`]![0]!.bootTicks / 1e6}M ticks` },
    );
  }
  rows.push({ name: 'JIT translating + compiling (boot + cpubench), Chromium worker', value: jitCost('stock jit'), unit: 'ms', note: `Node ${jitCost('node jit').toFixed(0)} ms, Chromium --no-liftoff ${jitCost('noLiftoff jit').toFixed(0)} ms; ${results['stock jit']![0]!.jit.translations} modules` });
  return rows;
}
