// This thread's compiled translations (docs/design.md 2, The JIT), by page
// content and entry pc, shared by every machine of the thread and, through
// ./translation-share.ts, with the other threads of a replay pool.
//
// A translation is a pure function of the machine layout (the addresses
// translator.ts embeds), the bytes of the entry's 4 KiB page and the entry's
// virtual pc: the translator reads nothing else (no TLB state, no privilege,
// no hooks: those are read by the translated code at run time). So a module
// compiled by any thread for the same (layout, page bytes, pc) is the one this
// thread would compile, and which thread compiled it, or when it arrived,
// changes how fast a run is, never what it computes. Page bytes are compared
// whole on every hit, so a hash collision cannot serve wrong code. Bounded:
// cleared when it holds too many pages.

/** A compiled translation: instantiated again for any machine (same machine build) running the same page content. */
export interface CachedTranslation {
  module: WebAssembly.Module;
  /** The function's block starts and their indices (translator.ts Translation.starts). */
  starts: Map<bigint, number>;
}

/** The translations of one page as threads post them to each other (structured clone keeps modules compiled). */
export interface SharedPage {
  /** The machine layout the code was made for (Jit's layout key). */
  layout: string;
  /** The page's 4096 bytes. */
  bytes: Uint8Array;
  translations: Array<CachedTranslation & { vpc: bigint }>;
}

interface Page {
  layout: string;
  bytes: Uint8Array;
  /** By entry pc; `imported` when another thread compiled it. */
  entries: Map<bigint, CachedTranslation & { imported: boolean }>;
}

const MAX_PAGES = 4096;
const pages = new Map<string, Page[]>();
let pageCount = 0;
const compiledListeners = new Set<(page: SharedPage) => void>();
const pullers = new Set<() => void>();

function pageHash(bytes: Uint8Array): number {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, 1024);
  let h = 0x811c9dc5;
  for (let i = 0; i < 1024; i++) h = Math.imul(h ^ words[i]!, 0x01000193);
  return h >>> 0;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  const x = new Uint32Array(a.buffer, a.byteOffset, 1024);
  const y = new Uint32Array(b.buffer, b.byteOffset, 1024);
  for (let i = 0; i < 1024; i++) if (x[i] !== y[i]) return false;
  return true;
}

function findPage(layout: string, bytes: Uint8Array, key = `${layout}:${pageHash(bytes)}`): Page | undefined {
  return pages.get(key)?.find((p) => sameBytes(p.bytes, bytes));
}

/** The page's entry in the cache, made (with a copy of `bytes`) if absent. */
function pageFor(layout: string, bytes: Uint8Array): Page {
  const key = `${layout}:${pageHash(bytes)}`;
  const found = findPage(layout, bytes, key);
  if (found) return found;
  if (pageCount >= MAX_PAGES) {
    pages.clear();
    pageCount = 0;
  }
  const page: Page = { layout, bytes: bytes.slice(), entries: new Map() };
  const bucket = pages.get(key) ?? [];
  bucket.push(page);
  pages.set(key, bucket);
  pageCount++;
  return page;
}

/** The translation for `vpc` on a page holding `bytes` (4096), if this thread has it. */
export function findTranslation(layout: string, bytes: Uint8Array, vpc: bigint): (CachedTranslation & { imported: boolean }) | undefined {
  return findPage(layout, bytes)?.entries.get(vpc);
}

/** Adds a translation this thread compiled, and tells the listeners (the pool's share). */
export function addCompiledTranslation(layout: string, bytes: Uint8Array, vpc: bigint, translation: CachedTranslation): void {
  const page = pageFor(layout, bytes);
  page.entries.set(vpc, { ...translation, imported: false });
  if (compiledListeners.size === 0) return;
  const shared: SharedPage = { layout, bytes: page.bytes, translations: [{ vpc, ...translation }] };
  for (const listener of compiledListeners) listener(shared);
}

/** Adds translations another thread compiled; returns those that were new here (the rest is dropped). */
export function importTranslations(shared: readonly SharedPage[]): SharedPage[] {
  const added: SharedPage[] = [];
  for (const { layout, bytes, translations } of shared) {
    if (bytes.length !== 4096) continue;
    const page = pageFor(layout, bytes);
    const fresh = translations.filter((t) => !page.entries.has(t.vpc));
    for (const t of fresh) page.entries.set(t.vpc, { module: t.module, starts: t.starts, imported: true });
    if (fresh.length > 0) added.push({ layout, bytes: page.bytes, translations: fresh });
  }
  return added;
}

/** Everything this thread holds, to seed a thread that starts later. */
export function cachedTranslations(): SharedPage[] {
  const out: SharedPage[] = [];
  for (const bucket of pages.values()) {
    for (const page of bucket) {
      out.push({ layout: page.layout, bytes: page.bytes, translations: [...page.entries].map(([vpc, t]) => ({ vpc, module: t.module, starts: t.starts })) });
    }
  }
  return out;
}

/** How many translations this thread holds. */
export function cachedTranslationCount(): number {
  let n = 0;
  for (const bucket of pages.values()) for (const page of bucket) n += page.entries.size;
  return n;
}

/** Calls `listener` with every translation this thread compiles from now on; returns the unsubscribe. */
export function onCompiledTranslation(listener: (page: SharedPage) => void): () => void {
  compiledListeners.add(listener);
  return () => compiledListeners.delete(listener);
}

/**
 * Registers `pull`, which takes in translations other threads have sent by
 * now, synchronously (Node's receiveMessageOnPort): the JIT calls it before
 * compiling anything, so a worker in the middle of a slice uses what another
 * compiled a moment ago. Returns the unregister.
 */
export function addTranslationPuller(pull: () => void): () => void {
  pullers.add(pull);
  return () => pullers.delete(pull);
}

/** Runs the pullers (before a compile). */
export function pullTranslations(): void {
  for (const pull of pullers) pull();
}
