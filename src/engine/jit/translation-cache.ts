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
// cleared when it holds too many pages. Each page also remembers the host
// addresses it was run at, so that after a snapshot restore the JIT finds
// which cached pages RAM holds again (jit.ts restored): a hint, checked
// against the bytes, that changes when code is installed, never what it is.

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
  /** Host addresses (4 KiB aligned, in the machine's memory) the page was run at. */
  hosts: number[];
  translations: Array<CachedTranslation & { vpc: bigint }>;
}

interface Page {
  layout: string;
  bytes: Uint8Array;
  hosts: Set<number>;
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

/** Whether two 4096-byte pages (4-byte aligned views) are equal, compared whole. */
export function samePage(a: Uint8Array, b: Uint8Array): boolean {
  const x = new Uint32Array(a.buffer, a.byteOffset, 1024);
  const y = new Uint32Array(b.buffer, b.byteOffset, 1024);
  for (let i = 0; i < 1024; i++) if (x[i] !== y[i]) return false;
  return true;
}

function findPage(layout: string, bytes: Uint8Array, key = `${layout}:${pageHash(bytes)}`): Page | undefined {
  return pages.get(key)?.find((p) => samePage(p.bytes, bytes));
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
  const page: Page = { layout, bytes: bytes.slice(), hosts: new Set(), entries: new Map() };
  const bucket = pages.get(key) ?? [];
  bucket.push(page);
  pages.set(key, bucket);
  pageCount++;
  return page;
}

/**
 * A translation with a block at `vpc` on a page holding `bytes` (4096), if
 * this thread has one: made for that entry, else for another entry of the
 * page whose region has a block there (as a machine's live functions serve
 * later entries of their page, jit.ts).
 */
export function findTranslation(layout: string, bytes: Uint8Array, vpc: bigint): (CachedTranslation & { imported: boolean }) | undefined {
  const page = findPage(layout, bytes);
  if (!page) return undefined;
  const own = page.entries.get(vpc);
  if (own) return own;
  for (const t of page.entries.values()) if (t.starts.has(vpc)) return t;
  return undefined;
}

/** Adds a translation this thread compiled for the page at host address `host`, and tells the listeners (the pool's share). */
export function addCompiledTranslation(layout: string, bytes: Uint8Array, vpc: bigint, translation: CachedTranslation, host: number): void {
  const page = pageFor(layout, bytes);
  page.entries.set(vpc, { ...translation, imported: false });
  page.hosts.add(host);
  if (compiledListeners.size === 0) return;
  const shared: SharedPage = { layout, bytes: page.bytes, hosts: [host], translations: [{ vpc, ...translation }] };
  for (const listener of compiledListeners) listener(shared);
}

/** Adds translations another thread compiled; returns those that were new here (the rest is dropped). */
export function importTranslations(shared: readonly SharedPage[]): SharedPage[] {
  const added: SharedPage[] = [];
  for (const { layout, bytes, hosts, translations } of shared) {
    if (bytes.length !== 4096) continue;
    const page = pageFor(layout, bytes);
    for (const host of hosts) page.hosts.add(host);
    const fresh = translations.filter((t) => !page.entries.has(t.vpc));
    for (const t of fresh) page.entries.set(t.vpc, { module: t.module, starts: t.starts, imported: true });
    if (fresh.length > 0) added.push({ layout, bytes: page.bytes, hosts, translations: fresh });
  }
  return added;
}

/** Everything this thread holds, to seed a thread that starts later. */
export function cachedTranslations(): SharedPage[] {
  const out: SharedPage[] = [];
  for (const bucket of pages.values()) {
    for (const page of bucket) {
      out.push({ layout: page.layout, bytes: page.bytes, hosts: [...page.hosts], translations: [...page.entries].map(([vpc, t]) => ({ vpc, module: t.module, starts: t.starts })) });
    }
  }
  return out;
}

/** Notes that the page holding `bytes` ran at host address `host` too (a cache hit there). */
export function addTranslationHost(layout: string, bytes: Uint8Array, host: number): void {
  findPage(layout, bytes)?.hosts.add(host);
}

/** Calls `visit` with every page of `layout` this thread holds: its bytes, the host addresses it ran at and its entry pcs. */
export function forEachCachedPage(layout: string, visit: (bytes: Uint8Array, hosts: ReadonlySet<number>, entries: ReadonlyMap<bigint, unknown>) => void): void {
  for (const bucket of pages.values()) for (const page of bucket) if (page.layout === layout) visit(page.bytes, page.hosts, page.entries);
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
