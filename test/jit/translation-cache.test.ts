// The thread's cache of compiled translations (src/engine/jit/translation-cache.ts):
// a hit needs the same layout, the same page bytes (compared whole) and the
// same entry pc; translations from other threads are taken in once and marked
// as such, with the host addresses their page ran at; what this thread
// compiles reaches the listeners (the pool's share).
import { describe, expect, it } from 'vitest';
import { addCompiledTranslation, cachedTranslationCount, cachedTranslations, findTranslation, importTranslations, onCompiledTranslation, type SharedPage } from '../../src/engine/jit/translation-cache';

const module = new WebAssembly.Module(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
const page = (fill: number): Uint8Array => new Uint8Array(4096).fill(fill);
const translation = (block: number) => ({ module, starts: new Map([[0x8000_0000n, block]]) });

describe('the translation cache', () => {
  it('serves a translation only for the same layout, page bytes and entry pc', () => {
    const bytes = page(1);
    const heard: SharedPage[] = [];
    const stop = onCompiledTranslation((p) => heard.push(p));
    addCompiledTranslation('L', bytes, 0x8000_0000n, translation(0), 0x10_0000);
    stop();
    expect(findTranslation('L', bytes, 0x8000_0000n)).toMatchObject({ module, imported: false });
    expect(findTranslation('L', page(1), 0x8000_0000n)).toBeDefined(); // equal bytes, another array
    expect(findTranslation('L', bytes, 0x8000_0002n)).toBeUndefined();
    expect(findTranslation('M', bytes, 0x8000_0000n)).toBeUndefined();
    const changed = page(1);
    changed[4095] = 2; // one byte differs (the last word is compared too)
    expect(findTranslation('L', changed, 0x8000_0000n)).toBeUndefined();
    // The listener heard it with a copy of the page, not a view of guest memory.
    expect(heard).toHaveLength(1);
    expect(heard[0]!.translations.map((t) => t.vpc)).toEqual([0x8000_0000n]);
    expect(heard[0]!.hosts).toEqual([0x10_0000]); // where it ran: the hint a restore checks (jit.ts restored)
    bytes[0] = 9;
    expect(heard[0]!.bytes[0]).toBe(1);
  });

  it('serves another entry of the page from a translation whose region has a block there', () => {
    const region = { module, starts: new Map([[0x40n, 0], [0x48n, 3]]) };
    addCompiledTranslation('L', page(5), 0x40n, region, 0x30_0000);
    expect(findTranslation('L', page(5), 0x48n)?.starts).toBe(region.starts);
    expect(findTranslation('L', page(5), 0x44n)).toBeUndefined();
  });

  it('takes in translations from other threads once, marked imported, and gives everything to a new thread', () => {
    const shared: SharedPage = { layout: 'L', bytes: page(3), hosts: [0x20_0000], translations: [{ vpc: 0x10n, ...translation(1) }, { vpc: 0x12n, ...translation(2) }] };
    const before = cachedTranslationCount();
    expect(importTranslations([shared]).flatMap((p) => p.translations.map((t) => t.vpc))).toEqual([0x10n, 0x12n]);
    expect(importTranslations([shared])).toEqual([]); // nothing new the second time
    expect(cachedTranslationCount()).toBe(before + 2);
    expect(findTranslation('L', page(3), 0x12n)).toMatchObject({ imported: true, starts: new Map([[0x8000_0000n, 2]]) });
    expect(importTranslations([{ ...shared, bytes: new Uint8Array(100) }])).toEqual([]); // not a page: dropped
    const seed = cachedTranslations();
    expect(seed.reduce((n, p) => n + p.translations.length, 0)).toBe(cachedTranslationCount());
    expect(seed.find((p) => p.bytes[0] === 3)?.translations.map((t) => t.vpc).sort()).toEqual([0x10n, 0x12n]);
    expect(seed.find((p) => p.bytes[0] === 3)?.hosts).toEqual([0x20_0000]);
  });
});
