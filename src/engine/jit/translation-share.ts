// Compiled translations shared between the threads of a replay pool
// (docs/design.md 2, The JIT): a WebAssembly.Module posted to another
// worker_thread, or to another Web Worker of the same page, arrives compiled
// (V8 shares the code, including what it compiled lazily at first calls), so
// each translation is translated and compiled once per pool instead of once
// per worker.
//
// The pool's thread is the hub: it connects one message port per worker
// (connectTranslationPort), seeds the worker with everything its own cache
// holds (./translation-cache.ts: what earlier workers and its own machines
// compiled), takes every translation a worker announces into its cache (so
// the engine thread's own machine and workers started later get it too) and
// forwards it to the other workers. A worker joins with the other end
// (joinTranslationHub): it announces what it compiles and takes in what
// arrives. Messages arrive between a worker's jobs (its event loop), and, where
// the host can receive synchronously (Node's receiveMessageOnPort), also in
// the middle of a slice, just before the JIT would compile something itself.
// Which thread compiled a translation, or when it arrived, never changes
// what a machine computes (translation-cache.ts says why).
import { addTranslationPuller, cachedTranslations, importTranslations, onCompiledTranslation, type SharedPage } from './translation-cache';

/** The part of a MessagePort both runtimes have. */
export interface TranslationPort {
  postMessage(message: SharedPage[]): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  close(): void;
}

/** A host's synchronous receive on a port (Node: worker_threads receiveMessageOnPort); undefined when nothing waits. */
export type ReceiveNow = (port: TranslationPort) => { message: unknown } | undefined;

/** Node's ports keep the process alive while they listen (unref after the listener is set: setting it refs the port); the pool's workers do that already. */
function unref(port: TranslationPort): void {
  (port as { unref?: () => void }).unref?.();
}

function pagesIn(data: unknown): SharedPage[] {
  return Array.isArray(data) ? (data as SharedPage[]) : [];
}

/** A new channel: one end for the hub, one to transfer to a worker. */
export function translationChannel(): { hub: TranslationPort; worker: TranslationPort } {
  const Channel = (globalThis as unknown as { MessageChannel?: new () => { port1: TranslationPort; port2: TranslationPort } }).MessageChannel;
  if (!Channel) throw new Error('jit: this runtime has no MessageChannel to share translations');
  const { port1, port2 } = new Channel();
  return { hub: port1, worker: port2 };
}

const spokes = new Set<TranslationPort>();
let stopListening: (() => void) | undefined;

function forward(pages: SharedPage[], except?: TranslationPort): void {
  if (pages.length === 0) return;
  for (const port of spokes) if (port !== except) port.postMessage(pages);
}

/**
 * Connects a worker's port to this thread's hub: seeds it with this thread's
 * translations and from then on forwards every translation compiled here or
 * by another connected worker. Returns the disconnect (closes the port).
 */
export function connectTranslationPort(port: TranslationPort): () => void {
  stopListening ??= onCompiledTranslation((page) => forward([page]));
  spokes.add(port);
  const seed = cachedTranslations();
  if (seed.length > 0) port.postMessage(seed);
  port.onmessage = (event) => forward(importTranslations(pagesIn(event.data)), port);
  unref(port);
  return () => {
    if (!spokes.delete(port)) return;
    port.onmessage = null;
    port.close();
    if (spokes.size === 0) {
      stopListening?.();
      stopListening = undefined;
    }
  };
}

/**
 * In a worker: announces every translation this thread compiles to the hub at
 * `port` and takes in what the hub sends, between jobs and, with `receiveNow`,
 * before each compile. Returns the leave (closes the port).
 */
export function joinTranslationHub(port: TranslationPort, receiveNow?: ReceiveNow): () => void {
  port.onmessage = (event) => importTranslations(pagesIn(event.data));
  unref(port);
  const stopAnnouncing = onCompiledTranslation((page) => port.postMessage([page]));
  const stopPulling = receiveNow
    ? addTranslationPuller(() => {
        for (let got = receiveNow(port); got; got = receiveNow(port)) importTranslations(pagesIn(got.message));
      })
    : () => {};
  return () => {
    stopAnnouncing();
    stopPulling();
    port.onmessage = null;
    port.close();
  };
}
