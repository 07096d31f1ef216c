import { describe, expect, it } from 'vitest';
import { createAnalysisRuntime } from '../../../analysis/runtime';
import { encodeAnalysisJson, type Provenance } from '../../../shared/analysis';
import { importAnalysis, type AnalysisImportDeps, type KeptAnalysis } from './import-analyses';

const runtime = createAnalysisRuntime();
const ID = 'ab'.repeat(32);

function deps(saved: KeptAnalysis[]): AnalysisImportDeps {
  return { recording: (id) => (id === ID ? { title: 'Fork and pipe', slices: 3 } : undefined), describe: (r) => runtime.describe(r), save: async (e) => void saved.push(e), now: () => 1234 };
}

/** A result file as prnr analyze writes it (src/engine/node/analysis-store.ts writeResult). */
function resultFile(change: Partial<Provenance> = {}): string {
  const d = runtime.describe({ dimension: 'syscalls', params: {} });
  const provenance: Provenance = { recording: ID, analysis: 'syscalls', version: d.version, code: d.code, params: d.params, slices: [0, 1, 2], ...change };
  return `${encodeAnalysisJson({ provenance, result: { calls: [{ tick: 5n }], unlive: 0 } })}\n`;
}

describe('opening the results prnr analyze wrote', () => {
  it('keeps a whole analysis of a recording the library has, as the page would have computed it', async () => {
    const saved: KeptAnalysis[] = [];
    expect(await importAnalysis('syscalls.json', resultFile(), deps(saved))).toEqual({ recording: ID, title: 'Fork and pipe', label: 'syscalls', dimension: 'syscalls' });
    expect(saved).toEqual([{ recording: ID, label: 'syscalls', description: runtime.describe({ dimension: 'syscalls', params: {} }), result: { calls: [{ tick: 5n }], unlive: 0 }, elapsedMs: 0, saved: 1234 }]);
  });

  it('refuses what it cannot vouch for, saying why', async () => {
    const saved: KeptAnalysis[] = [];
    const refused = (name: string, text: string) => importAnalysis(name, text, deps(saved));
    await expect(refused('a.json', '{"x"')).rejects.toThrow(/a\.json: not JSON/);
    await expect(refused('b.json', '{"result": 1}')).rejects.toThrow('b.json: not a result prnr analyze wrote');
    await expect(refused('c.json', resultFile({ recording: 'cd'.repeat(32) }))).rejects.toThrow('which this browser does not have: open its .prnr file too');
    await expect(refused('d.json', resultFile({ version: 1 }))).rejects.toThrow('made by another version of the syscalls analysis (version 1');
    await expect(refused('e.json', resultFile({ code: '0123456789abcdef' }))).rejects.toThrow('run prnr analyze again');
    await expect(refused('f.json', resultFile({ slices: [1, 2] }))).rejects.toThrow("covers 2 of the recording's 3 slices");
    await expect(refused('g.json', resultFile({ analysis: 'nosuch' }))).rejects.toThrow('no analysis "nosuch"');
    expect(saved).toEqual([]);
  });
});
