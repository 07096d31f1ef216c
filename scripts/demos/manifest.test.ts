import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDemoManifest } from '../../src/shared/demo-manifest';

const committed = readFileSync(new URL('../../public/demos/manifest.json', import.meta.url), 'utf8');

describe('parseDemoManifest', () => {
  it('reads the committed manifest', () => {
    const manifest = parseDemoManifest(committed);
    expect(manifest.demos.length).toBeGreaterThanOrEqual(5);
    for (const demo of manifest.demos) expect(demo.id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names the first problem of a damaged manifest', () => {
    const good = JSON.parse(committed) as { demos: Record<string, unknown>[] };
    const bad = (edit: (m: typeof good) => void) => {
      const copy = structuredClone(good);
      edit(copy);
      return () => parseDemoManifest(JSON.stringify(copy));
    };
    expect(() => parseDemoManifest('{')).toThrow(/not JSON/);
    expect(bad((m) => Object.assign(m, { version: 2 }))).toThrow(/version 2; this prnr reads version 1/);
    expect(bad((m) => (m.demos[0].id = 'abc'))).toThrow(/demos\[0\]\.id must be 64 lowercase hex digits/);
    expect(bad((m) => (m.demos[1].file = '../etc/passwd'))).toThrow(/demos\[1\]\.file must be a plain file name/);
    expect(bad((m) => (m.demos[0].ticks = '-5'))).toThrow(/demos\[0\]: a tick is a decimal integer/);
    expect(bad((m) => (m.demos[2].bytes = 1.5))).toThrow(/demos\[2\]\.bytes must be a count/);
    expect(bad((m) => (m.demos[1].id = m.demos[0].id))).toThrow(/demos\[1\]\.id appears twice/);
  });
});
