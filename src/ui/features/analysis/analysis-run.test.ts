import { describe, expect, it } from 'vitest';
import type { AnalysisProgress, AnalysisResults } from '../../../engine/engine-api';
import type { DimensionDescription, DimensionRequest } from '../../../shared/analysis';
import { syscallsOf } from './analysis-data';
import type { SharedAnalysis } from '../../../shared/server-api';
import { AnalysisRun, type Analyze, type AnalysisServer } from './analysis-run';
import type { SavedAnalysis } from './kept-analysis';

const describeRequest = (r: DimensionRequest): DimensionDescription => {
  if (r.dimension === 'nope') throw new Error('no analysis "nope"');
  return { ...r, version: 2, code: 'c0de', needs: {}, label: r.dimension };
};

const call = (tick: bigint) => ({ tick, endTick: tick + 5n, pc: 0n, task: 0n, who: null, record: { nr: 63, name: 'read', args: [], ret: '0', errno: null, retval: 0n, raw: [], noReturn: false, unfinished: false } });

function memoryStore() {
  const saved: SavedAnalysis[] = [];
  return { saved, list: async (recording: string) => saved.filter((s) => s.recording === recording), save: async (e: SavedAnalysis) => void saved.push(e) };
}

/** An analyze whose slices the test finishes one at a time. */
function controlled() {
  let listener: ((p: AnalysisProgress) => void) | undefined;
  let finish: ((r: AnalysisResults) => void) | undefined;
  let fail: ((e: Error) => void) | undefined;
  const analyze: Analyze = (_requests, _jobs, onProgress) => {
    listener = onProgress;
    return new Promise((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
  };
  return {
    analyze,
    slice: (label: string, slice: number, done: number, partial: unknown) => listener!({ dimension: label, label, slice, done, total: 2, cached: false, partial }),
    finish: (results: AnalysisResults) => finish!(results),
    fail: (e: Error) => fail!(e),
  };
}

describe('the analyses of a recording in the page', () => {
  it('shows each slice as it finishes, then the merged result, and keeps it', async () => {
    const engine = controlled();
    const store = memoryStore();
    const run = new AnalysisRun({ recording: 'r1', sliceCount: 2, analyze: engine.analyze, describe: describeRequest, summarize: () => undefined, store });
    const running = run.run([{ dimension: 'syscalls', params: {} }]);
    expect(run.getSnapshot().runs.map((r) => [r.description.label, r.state, r.doneCount])).toEqual([['syscalls', 'running', 0]]);
    engine.slice('syscalls', 1, 1, { calls: [call(20n)], open: [], orphans: [], unlive: 0 });
    const partial = run.getSnapshot().runs[0]!;
    expect(partial.done).toEqual([false, true]);
    expect(syscallsOf(partial)).toEqual({ calls: [call(20n)], complete: false });
    engine.slice('syscalls', 0, 2, { calls: [call(10n)], open: [], orphans: [], unlive: 0 });
    expect(syscallsOf(run.getSnapshot().runs[0]).calls.map((c) => c.tick)).toEqual([10n, 20n]);
    const description = describeRequest({ dimension: 'syscalls', params: {} });
    engine.finish({ dimensions: [{ description, provenance: { recording: 'r1', analysis: 'syscalls', version: 2, code: 'c0de', params: {}, slices: [0, 1] }, result: { calls: [call(10n), call(15n), call(20n)], unlive: 0 }, cached: 0 }], verified: [], notes: [] });
    await running;
    const done = run.getSnapshot().runs[0]!;
    expect(done.state).toBe('done');
    expect(syscallsOf(done)).toMatchObject({ complete: true });
    expect(syscallsOf(done).calls).toHaveLength(3);
    expect(store.saved.map((s) => [s.recording, s.label])).toEqual([['r1', 'syscalls']]);

    // Opened again: analysed, from the store.
    const reopened = new AnalysisRun({ recording: 'r1', sliceCount: 2, analyze: engine.analyze, describe: describeRequest, summarize: () => undefined, store });
    await reopened.load();
    expect(reopened.getSnapshot().runs.map((r) => [r.description.label, r.state, r.saved, r.doneCount])).toEqual([['syscalls', 'done', true, 2]]);
  });

  it('does not serve a kept result made by another version of the analysis', async () => {
    const store = memoryStore();
    await store.save({ recording: 'r1', label: 'syscalls', description: { ...describeRequest({ dimension: 'syscalls', params: {} }), version: 1 }, result: { calls: [] }, elapsedMs: 1, saved: 0 });
    const run = new AnalysisRun({ recording: 'r1', sliceCount: 2, analyze: controlled().analyze, describe: describeRequest, summarize: () => undefined, store });
    await run.load();
    expect(run.getSnapshot()).toMatchObject({ loaded: true, runs: [] });
  });

  it('marks the running dimensions failed with the engine\'s message, and refuses a bad request at once', async () => {
    const engine = controlled();
    const run = new AnalysisRun({ recording: 'r1', sliceCount: 2, analyze: engine.analyze, describe: describeRequest, summarize: () => undefined, store: memoryStore() });
    const running = run.run([{ dimension: 'syscalls', params: {} }, { dimension: 'processes', params: {} }]);
    engine.fail(new Error('slice 1 diverged at x5'));
    await running;
    expect(run.getSnapshot().runs.map((r) => [r.description.label, r.state, r.error])).toEqual([
      ['syscalls', 'failed', 'slice 1 diverged at x5'],
      ['processes', 'failed', 'slice 1 diverged at x5'],
    ]);
    await run.run([{ dimension: 'nope', params: {} }]);
    expect(run.getSnapshot().error).toBe('no analysis "nope"');
  });
});

describe("the analyses the page's server holds", () => {
  const shared = (dimension: string, slices: number[], over: Partial<SharedAnalysis> = {}): SharedAnalysis => ({ dimension, version: 2, code: 'c0de', params: {}, slices, disputed: [], ...over });
  const server = (list: SharedAnalysis[] | undefined | Error): AnalysisServer & { asked: number } => {
    const s = {
      origin: 'http://server',
      asked: 0,
      list: async () => {
        s.asked++;
        if (list instanceof Error) throw list;
        return list;
      },
    };
    return s;
  };
  /** An engine that reads every slice (as from the server), recording what it was asked. */
  function reading() {
    const asked: Array<{ requests: DimensionRequest[]; server: string | undefined }> = [];
    const analyze: Analyze = async (requests, _jobs, onProgress, srv) => {
      asked.push({ requests, server: srv });
      for (const r of requests) for (const slice of [0, 1]) onProgress({ dimension: r.dimension, label: r.dimension, slice, done: slice + 1, total: 2, cached: true, partial: {} });
      return { dimensions: requests.map((r) => ({ description: describeRequest(r), provenance: { recording: 'r1', analysis: r.dimension, version: 2, code: 'c0de', params: {}, slices: [0, 1] }, result: { calls: [] }, cached: 2 })), verified: [], notes: [] };
    };
    return { asked, analyze };
  }

  it('loads the ones it holds for every slice at once, through the server, replaying nothing; offers the partial ones; ignores other code', async () => {
    const engine = reading();
    const srv = server([shared('syscalls', [0, 1]), shared('processes', [1]), shared('console', [0, 1], { version: 1 }), shared('hotspots', [0, 1], { code: 'other' })]);
    const run = new AnalysisRun({ recording: 'r1', sliceCount: 2, analyze: engine.analyze, describe: describeRequest, summarize: () => undefined, store: memoryStore(), server: srv });
    await run.load();
    expect(engine.asked).toEqual([{ requests: [{ dimension: 'syscalls', params: {} }], server: 'http://server' }]);
    const snap = run.getSnapshot();
    expect(snap.runs.map((r) => [r.description.label, r.state, r.doneCount, r.cachedCount, r.kept, r.fromServer])).toEqual([['syscalls', 'done', 2, 2, true, true]]);
    expect(snap.replayed).toBe(0);
    expect(snap.offered.map((o) => [o.description.label, o.slices, o.total])).toEqual([['processes', 1, 2]]);
    // Loading the offered one takes it off the list.
    await run.run([{ dimension: 'processes', params: {} }]);
    expect(run.getSnapshot().offered).toEqual([]);
    expect(engine.asked[1]).toEqual({ requests: [{ dimension: 'processes', params: {} }], server: 'http://server' });
  });

  it('shares through the server only once it keeps the recording (asked before each run), and says so when it refuses', async () => {
    const engine = reading();
    const lists: Array<SharedAnalysis[] | undefined | Error> = [undefined, undefined, [], new Error('it answered 500')];
    const srv: AnalysisServer = { origin: 'http://server', list: async () => {
      const next = lists.shift();
      if (next instanceof Error) throw next;
      return next;
    } };
    const run = new AnalysisRun({ recording: 'r1', sliceCount: 2, analyze: engine.analyze, describe: describeRequest, summarize: () => undefined, store: memoryStore(), server: srv });
    await run.load();
    expect(run.getSnapshot()).toMatchObject({ offered: [], runs: [] });
    await run.run([{ dimension: 'syscalls', params: {} }]);
    // Shared since: the next run shares its partials.
    await run.run([{ dimension: 'syscalls', params: {} }]);
    await run.run([{ dimension: 'syscalls', params: {} }]);
    expect(engine.asked.map((a) => a.server)).toEqual([undefined, 'http://server', undefined]);
    expect(run.getSnapshot().note).toBe('analyses are not shared through http://server: it answered 500');
  });

  it("counts the slices read as the engine does, even when the result comes before the last progress (the listener's port is its own)", async () => {
    const engine = controlled();
    const run = new AnalysisRun({ recording: 'r1', sliceCount: 2, analyze: engine.analyze, describe: describeRequest, summarize: () => undefined, store: memoryStore() });
    const running = run.run([{ dimension: 'syscalls', params: {} }]);
    engine.slice('syscalls', 0, 1, {});
    const description = describeRequest({ dimension: 'syscalls', params: {} });
    engine.finish({ dimensions: [{ description, provenance: { recording: 'r1', analysis: 'syscalls', version: 2, code: 'c0de', params: {}, slices: [0, 1] }, result: { calls: [] }, cached: 2 }], verified: [], notes: [] });
    await running;
    engine.slice('syscalls', 1, 2, {});
    expect(run.getSnapshot().runs.map((r) => [r.state, r.doneCount, r.cachedCount])).toEqual([['done', 2, 2]]);
  });

  it("shows the engine's note on a server it could not use", async () => {
    const store = memoryStore();
    const analyze: Analyze = async (requests) => ({ dimensions: requests.map((r) => ({ description: describeRequest(r), provenance: { recording: 'r1', analysis: r.dimension, version: 2, code: 'c0de', params: {}, slices: [0, 1] }, result: {}, cached: 0 })), verified: [], notes: ['analyses are not shared through http://server: it answered 503: busy'] });
    const run = new AnalysisRun({ recording: 'r1', sliceCount: 2, analyze, describe: describeRequest, summarize: () => undefined, store, server: server([]) });
    await run.run([{ dimension: 'syscalls', params: {} }]);
    expect(run.getSnapshot().note).toMatch(/not shared through http:\/\/server: it answered 503/);
    expect(run.getSnapshot().runs[0]?.state).toBe('done');
  });
});
