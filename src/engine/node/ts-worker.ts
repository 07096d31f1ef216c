// Starts a worker_thread from a module URL. A TypeScript entry (running from
// source under tsx, Vitest or the CLI) goes through a bootstrap that registers
// tsx inside the worker; a built .js entry starts directly.
import { Worker, type WorkerOptions } from 'node:worker_threads';

const bootstrapUrl = new URL('./tsx-worker-bootstrap.mjs', import.meta.url);

export function startModuleWorker(entry: URL, options: Omit<WorkerOptions, 'argv' | 'eval'> = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  return new Worker(bootstrapUrl, { ...options, argv: [entry.href] });
}
