// Time to the first frame of a shared link (issue 13 benchmark; serve.ts
// says what is measured). The machine at the tick is what the first frame
// shows (registers, and the screen drawn from the recorded output), so the
// frame is ready once the snapshot before the tick is restored and run to it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHttpRecording } from '../../src/engine/http-range';
import { nodeOpenOptions } from '../../src/engine/node/codecs';
import { nodeSha256 } from '../../src/engine/node/hash';
import { compileMachineModule } from '../../src/engine/node/machine-module';
import { openRecordingFile } from '../../src/engine/node/recording-file';
import { loadRecordingBootFiles } from '../../src/engine/node/recording-image';
import { bootConfigForRecording } from '../../src/engine/replay/boot';
import { ReplayMachine } from '../../src/engine/replay/replay-machine';
import { PAGE_BYTES } from '../../src/shared/recording/format';
import { MULTIPART_RANGES_HEADER } from '../../src/shared/server-api';
import { loadSnapshot, openRecordingByParts } from '../../src/shared/recording/open-parts';
import { openRecording, snapshotBefore, type Recording } from '../../src/shared/recording/reader';
import { bytesRangeReader, bytesSource, type RangeReader } from '../../src/shared/recording/source';
import { PRNR_BIN } from '../../test/prnr';
import { rewriteWithPadding } from './pad-recording';
import { buildBenchApp, launchBenchBrowser, paintedAt } from './browser';
import { spawnServe } from './serve-process';
import { median, type BenchRow } from './stats';

const MiB = 2 ** 20;
/** 200,000-tick slices: a boot and one command make about 250 of them. */
const SLICE_TICKS = '200000';
const PADDING_BYTES = 256 * 2 ** 20;

interface Arm {
  ms: number;
  /** Of which: until the bytes the frame needs were here and the recording open. */
  fetchMs: number;
  bytes: number;
  requests: number;
}

/** Counts what a RangeReader is asked for: a request per read, one per readRanges. */
function counted(reader: RangeReader, count: { bytes: number; requests: number }): RangeReader {
  const several = reader.readRanges?.bind(reader);
  return {
    size: reader.size,
    name: reader.name,
    initial: reader.initial,
    async read(offset, length) {
      count.requests++;
      count.bytes += length;
      return reader.read(offset, length);
    },
    readRanges: several && (async (ranges) => {
      count.requests++;
      for (const [, length] of ranges) count.bytes += length;
      return several(ranges);
    }),
  };
}

export async function benchFirstFrame(runs: number, log: (line: string) => void): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'prnr-bench-frame-'));
  const appDir = buildBenchApp(log, 'first frame');
  const server = await spawnServe(join(dir, 'data'), ['--max-upload', '4096', '--app', appDir]);
  try {
    log(`first frame: recording a session in ${SLICE_TICKS}-tick slices and padding it…`);
    const small = join(dir, 'small.prnr');
    const large = join(dir, 'large.prnr');
    execFileSync(process.execPath, [PRNR_BIN, 'record', '--cmd', 'ls /; echo $((6*7))', '--slice-ticks', SLICE_TICKS, '-o', small], { stdio: 'ignore' });
    const opened = openRecordingFile(small);
    // Random 4 KiB pages between the slices' records, 256 MiB in all (4 MiB blobs no snapshot names are refused
    // by the reader's full check, which the server runs, as pages of the wrong size).
    rewriteWithPadding(opened.recording, large, PADDING_BYTES, PAGE_BYTES);
    opened.source.close();
    const bytes = new Uint8Array(readFileSync(large));
    const probe = openRecording(bytesSource(bytes), nodeOpenOptions);
    log(`first frame: ${probe.slices.length} slices, ${(bytes.length / MiB).toFixed(0)} MiB; uploading…`);
    const response = await fetch(new URL('/api/recordings', server.url), { method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
    const { id, error } = (await response.json()) as { id: string; error?: string };
    if (response.status !== 201) throw new Error(`upload refused (${response.status}): ${error}`);
    const fileUrl = new URL(`/api/recordings/${id}/file`, server.url).href;
    const tick = probe.slices[probe.slices.length >> 1].startTick + 100_000n;

    // What both arms share and a page has before the link is opened: the machine and the guest image.
    const module = await compileMachineModule();
    const config = bootConfigForRecording(probe.header, await loadRecordingBootFiles(probe.header), nodeSha256);
    const frame = async (rec: Recording) => {
      const k = snapshotBefore(rec, tick);
      const machine = await ReplayMachine.create(module, rec, config, nodeSha256);
      machine.restore(k);
      machine.runTo(tick);
      if (machine.tick !== tick) throw new Error(`the replay stopped at tick ${machine.tick}, not ${tick}`);
      return k;
    };

    const byParts = async (multipart: boolean): Promise<Arm> => {
      const started = performance.now();
      const reader = await openHttpRecording(fileUrl, { multipart });
      const count = { bytes: reader instanceof Uint8Array ? reader.length : (reader.initial?.bytes.length ?? 0), requests: 1 };
      const ranges = reader instanceof Uint8Array ? bytesRangeReader(reader) : counted(reader, count);
      const { rec, source } = await openRecordingByParts(ranges, nodeOpenOptions);
      await loadSnapshot(rec, source, snapshotBefore(rec, tick));
      const fetched = performance.now();
      await frame(rec);
      return { ms: performance.now() - started, fetchMs: fetched - started, bytes: count.bytes, requests: count.requests };
    };
    const whole = async (): Promise<Arm> => {
      const started = performance.now();
      const data = new Uint8Array(await (await fetch(fileUrl)).arrayBuffer());
      const rec = openRecording(bytesSource(data), nodeOpenOptions);
      const fetched = performance.now();
      await frame(rec);
      return { ms: performance.now() - started, fetchMs: fetched - started, bytes: data.length, requests: 1 };
    };

    // Three ways to the same frame, side by side in each run: several ranges per request (multipart), one range per request, the whole file.
    const multi: Arm[] = [];
    const single: Arm[] = [];
    const wholes: Arm[] = [];
    for (let i = 0; i < runs; i++) {
      multi.push(await byParts(true));
      single.push(await byParts(false));
      wholes.push(await whole());
      log(`first frame: run ${i + 1}: by ranges, several per request ${multi[i].ms.toFixed(0)} ms (fetch and open ${multi[i].fetchMs.toFixed(0)}, ${multi[i].requests} requests), one per request ${single[i].ms.toFixed(0)} ms (${single[i].fetchMs.toFixed(0)}, ${single[i].requests} requests), whole file ${wholes[i].ms.toFixed(0)} ms (${wholes[i].fetchMs.toFixed(0)})`);
    }
    const inBrowser = await browserFirstFrame(server.url, id, tick, runs, log);
    const remote = await browserFirstFrame(server.url, id, tick, runs, log, OFFICE);
    const m = median(multi.map((a) => a.ms));
    const o = median(single.map((a) => a.ms));
    const w = median(wholes.map((a) => a.ms));
    const fetched = (a: Arm) => `fetched ${(a.bytes / MiB).toFixed(1)} MiB in ${a.requests} requests`;
    const browserRows = (where: string, b: BrowserFrames, first: string): BenchRow[] => [
      { name: `first frame in Chromium${where}: by ranges, several per request`, value: b.multi.ms, unit: 'ms', note: `${first}; ${b.multi.requests} requests for the file before it` },
      { name: `first frame in Chromium${where}: by ranges, several per request, routed`, value: b.routed.ms, unit: 'ms', note: `through Playwright's router, as the next arm; ${b.routed.requests} requests` },
      { name: `first frame in Chromium${where}: by ranges, one per request, routed`, value: b.single.ms, unit: 'ms', note: `${b.single.requests} requests; ${(b.single.ms / b.routed.ms).toFixed(2)}x the routed several-per-request arm` },
      { name: `first frame in Chromium${where}: whole file`, value: b.whole.ms, unit: 'ms', note: `the server asked without Range answers the whole file; ${(b.whole.ms / b.multi.ms).toFixed(2)}x` },
    ];
    return [
      { name: 'first frame: fetch+open by ranges, several per request', value: median(multi.map((a) => a.fetchMs)), unit: 'ms', note: 'the bytes the frame needs, and the recording opened' },
      { name: 'first frame: fetch+open by ranges, one per request', value: median(single.map((a) => a.fetchMs)), unit: 'ms' },
      { name: 'first frame: fetch+open whole', value: median(wholes.map((a) => a.fetchMs)), unit: 'ms' },
      { name: 'first frame: by ranges, several per request', value: m, unit: 'ms', note: `median of ${runs}; ${probe.slices.length} slices, ${(bytes.length / MiB).toFixed(0)} MiB file; ${fetched(multi[0])}` },
      { name: 'first frame: by ranges, one per request', value: o, unit: 'ms', note: `${fetched(single[0])}; ${(o / m).toFixed(2)}x` },
      { name: 'first frame: whole file first', value: w, unit: 'ms', note: `fetched ${(wholes[0].bytes / MiB).toFixed(0)} MiB; ${(w / m).toFixed(1)}x` },
      ...browserRows('', inBrowser, `median of ${runs}, cold context: the link opened until the registers show the tick`),
      ...browserRows(`, ${OFFICE.name}`, remote, 'the same over an emulated network (Chromium DevTools)'),
    ];
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(appDir, { recursive: true, force: true });
  }
}

/** A network between the colleague and the server, as Chromium emulates it. */
interface Network {
  name: string;
  rttMs: number;
  bytesPerSecond: number;
}

/** A colleague on another machine: 20 ms away, 100 Mbit/s. */
const OFFICE: Network = { name: '100 Mbit/s, 20 ms', rttMs: 20, bytesPerSecond: 100e6 / 8 };

/** A way to the frame in Chromium: its median time and the requests for the file before it (in the median run). */
interface BrowserFrame {
  ms: number;
  requests: number;
}
type BrowserFrames = Record<'multi' | 'routed' | 'single' | 'whole', BrowserFrame>;
type BrowserWay = keyof BrowserFrames;

/**
 * The same link in Chromium, each time in a fresh context (no cache, no OPFS): the app fetches by ranges, several
 * per request since the server says it answers them so (MULTIPART_RANGES_HEADER); for the one-per-request arm the
 * page does not see that header (so the engine asks one range at a time, as before multipart); for the whole-file
 * arm its requests for the file lose their Range header, so the server sends it whole and the engine takes it whole
 * (src/engine/http-range.ts). The rewritten arms pass every file request through Playwright's router, slower per
 * request than the page alone; the "routed" arm is the several-per-request one through the same router, the fair
 * comparison for one-per-request.
 */
async function browserFirstFrame(base: string, id: string, tick: bigint, runs: number, log: (line: string) => void, network?: Network): Promise<BrowserFrames> {
  const browser = await launchBenchBrowser();
  const link = new URL(`/r/${id}?t=${tick}&view=registers`, base).href;
  const isFile = (url: URL) => url.pathname === `/api/recordings/${id}/file`;
  const open = async (way: BrowserWay): Promise<BrowserFrame & { fetched: number }> => {
    const context = await browser.newContext({ viewport: { width: 1500, height: 1000 } });
    if (network) {
      // Chromium's own network emulation (DevTools), for the page and the workers it starts.
      context.on('page', (page) => void context.newCDPSession(page).then((cdp) => cdp.send('Network.emulateNetworkConditions', { offline: false, latency: network.rttMs, downloadThroughput: network.bytesPerSecond, uploadThroughput: network.bytesPerSecond })));
    }
    if (way === 'whole') {
      await context.route(isFile, (route) => route.continue({ headers: Object.fromEntries(Object.entries(route.request().headers()).filter(([name]) => name.toLowerCase() !== 'range')) }));
    } else if (way === 'single' || way === 'routed') {
      const strip = way === 'single' ? MULTIPART_RANGES_HEADER : undefined;
      await context.route(isFile, async (route) => {
        // The page's reading of the rest of the file after the frame may be cut short by the context's close.
        try {
          const response = await route.fetch();
          await route.fulfill({ response, headers: Object.fromEntries(Object.entries(response.headers()).filter(([name]) => name.toLowerCase() !== strip)) });
        } catch {
          await route.abort().catch(() => undefined);
        }
      });
    }
    const page = await context.newPage();
    page.on('pageerror', (e) => log(`first frame: page error: ${e.message}`));
    // What the file's requests brought before the frame (the engine's workers' requests included).
    let fetched = 0;
    let requests = 0;
    context.on('requestfinished', (request) => {
      if (!request.url().includes(`/api/recordings/${id}/file`)) return;
      requests++;
      void request.sizes().then((sizes) => (fetched += sizes.responseBodySize)).catch(() => undefined);
    });
    await page.goto(link);
    const ms = await paintedAt(page, true, undefined, 600_000);
    const before = { ms, fetched, requests };
    await context.unrouteAll({ behavior: 'ignoreErrors' });
    await context.close();
    return before;
  };
  const ways: BrowserWay[] = ['multi', 'routed', 'single', 'whole'];
  const seen: Record<BrowserWay, Array<BrowserFrame & { fetched: number }>> = { multi: [], routed: [], single: [], whole: [] };
  try {
    for (let i = 0; i < runs; i++) {
      for (const way of ways) seen[way].push(await open(way));
      const line = ways.map((way) => `${way} ${seen[way][i].ms.toFixed(0)} ms (${(seen[way][i].fetched / MiB).toFixed(1)} MiB in ${seen[way][i].requests} requests)`).join(', ');
      log(`first frame in Chromium${network ? ` (${network.name})` : ''}: run ${i + 1}: ${line}`);
    }
    const medianOf = (way: BrowserWay): BrowserFrame => {
      const ms = median(seen[way].map((f) => f.ms));
      return { ms, requests: seen[way].find((f) => f.ms === ms)?.requests ?? seen[way][0].requests };
    };
    return { multi: medianOf('multi'), routed: medianOf('routed'), single: medianOf('single'), whole: medianOf('whole') };
  } finally {
    await browser.close();
  }
}
