// The machine in a Chromium Web Worker of its own, for what the app's engine
// does not say (whether translated code ran, guest MIPS unpaced): the
// engine's own code (the browser's compile path, image loader and Machine)
// bundled with esbuild and served beside machine.wasm on the page's origin,
// so it fetches the app's images (with the app's cross-origin isolation
// headers: a page that has them starts only workers that have them too). ./machine-worker.entry.ts boots and hashes
// (the JIT tests); scripts/bench/browser-machine.worker.ts times cpubench.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { defaultMachineWasmPath } from '../../src/engine/node/machine-module';
import { CROSS_ORIGIN_ISOLATION_HEADERS } from '../../src/shared/cross-origin';
import type { MachineWorkerReply, MachineWorkerRequest } from './machine-worker.entry';

const WORKER_PATH = '/__test/machine-worker.js';
const WASM_PATH = '/__test/machine.wasm';

/** A worker entry (a .ts file) bundled into one ES module for the browser. */
export async function bundleWorker(entry: URL): Promise<string> {
  const bundle = await build({ entryPoints: [fileURLToPath(entry)], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'error' });
  return bundle.outputFiles[0]!.text;
}

/** Starts the module worker at `path` in `page`, posts `request`, and resolves to its first reply; the worker is then stopped. */
export function runWorker<Request, Reply>(page: Page, path: string, request: Request): Promise<Reply> {
  return page.evaluate(
    ({ path, request }) =>
      new Promise<Reply>((resolve, reject) => {
        const Worker = (globalThis as unknown as { Worker: new (url: string, options: { type: string }) => { onmessage: ((e: { data: Reply }) => void) | null; onerror: ((e: { message: string }) => void) | null; postMessage(m: unknown): void; terminate(): void } }).Worker;
        const worker = new Worker(path, { type: 'module' });
        worker.onerror = (e) => {
          worker.terminate();
          reject(new Error(`worker ${path} failed: ${e.message || 'could not load'}`));
        };
        worker.onmessage = (e) => {
          worker.terminate();
          resolve(e.data);
        };
        worker.postMessage(request);
      }),
    { path, request },
  ) as Promise<Reply>;
}

/** Serves ./machine-worker.entry.ts, bundled, and the built machine to `page`'s context (its workers' requests too; call before the first navigation). */
export async function serveMachineWorker(page: Page): Promise<void> {
  const worker = await bundleWorker(new URL('./machine-worker.entry.ts', import.meta.url));
  const wasm = await readFile(defaultMachineWasmPath);
  await page.context().route((url) => url.pathname === WORKER_PATH, (route) => route.fulfill({ contentType: 'text/javascript', headers: CROSS_ORIGIN_ISOLATION_HEADERS, body: worker }));
  await page.context().route((url) => url.pathname === WASM_PATH, (route) => route.fulfill({ contentType: 'application/wasm', headers: CROSS_ORIGIN_ISOLATION_HEADERS, body: wasm }));
}

/** Boots the default image in a fresh worker of `page` (served by serveMachineWorker) and returns its state hashes at `ticks` and the instructions run in translated code. */
export async function bootHashesInWorker(page: Page, jit: boolean, ticks: string[]): Promise<{ hashes: string[]; jitExecuted: number }> {
  const reply = await runWorker<MachineWorkerRequest, MachineWorkerReply>(page, WORKER_PATH, { wasmUrl: WASM_PATH, jit, ticks });
  if (!reply.ok) throw new Error(`machine worker: ${reply.error}`);
  return reply;
}
