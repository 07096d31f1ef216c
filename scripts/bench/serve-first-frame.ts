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

/** Counts what a RangeReader is asked for. */
function counted(reader: RangeReader, count: { bytes: number; requests: number }): RangeReader {
  return {
    size: reader.size,
    name: reader.name,
    async read(offset, length) {
      count.requests++;
      count.bytes += length;
      return reader.read(offset, length);
    },
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

    const byParts = async (): Promise<Arm> => {
      const count = { bytes: 0, requests: 0 };
      const started = performance.now();
      const reader = await openHttpRecording(fileUrl);
      count.requests++;
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

    const parts: Arm[] = [];
    const wholes: Arm[] = [];
    for (let i = 0; i < runs; i++) {
      parts.push(await byParts());
      wholes.push(await whole());
      log(`first frame: run ${i + 1}: by parts ${parts[i].ms.toFixed(0)} ms (fetch and open ${parts[i].fetchMs.toFixed(0)}), whole file ${wholes[i].ms.toFixed(0)} ms (${wholes[i].fetchMs.toFixed(0)})`);
    }
    const inBrowser = await browserFirstFrame(server.url, id, tick, runs, log);
    const remote = await browserFirstFrame(server.url, id, tick, runs, log, OFFICE);
    const p = median(parts.map((a) => a.ms));
    const w = median(wholes.map((a) => a.ms));
    const pf = median(parts.map((a) => a.fetchMs));
    const wf = median(wholes.map((a) => a.fetchMs));
    return [
      { name: 'first frame: fetch+open by ranges', value: pf, unit: 'ms', note: 'the bytes the frame needs, and the recording opened' },
      { name: 'first frame: fetch+open whole', value: wf, unit: 'ms', note: `${(wf / pf).toFixed(1)}x by ranges` },
      { name: 'first frame: by ranges', value: p, unit: 'ms', note: `median of ${runs}; ${probe.slices.length} slices, ${(bytes.length / MiB).toFixed(0)} MiB file; fetched ${(parts[0].bytes / MiB).toFixed(1)} MiB in ${parts[0].requests} requests` },
      { name: 'first frame: whole file first', value: w, unit: 'ms', note: `median of ${runs}; fetched ${(wholes[0].bytes / MiB).toFixed(0)} MiB` },
      { name: 'first frame: whole / by ranges', value: w / p, unit: 'x' },
      { name: 'first frame in Chromium: by ranges', value: inBrowser.ranges, unit: 'ms', note: `median of ${runs}, cold context: the link opened until the registers show the tick` },
      { name: 'first frame in Chromium: whole file', value: inBrowser.whole, unit: 'ms', note: `the server asked without Range, so it answers the whole file; ${(inBrowser.whole / inBrowser.ranges).toFixed(2)}x` },
      { name: `first frame in Chromium, ${OFFICE.name}: by ranges`, value: remote.ranges, unit: 'ms', note: 'the same over an emulated network (Chromium DevTools)' },
      { name: `first frame in Chromium, ${OFFICE.name}: whole file`, value: remote.whole, unit: 'ms', note: `${(remote.whole / remote.ranges).toFixed(2)}x` },
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

/**
 * The same link in Chromium, each time in a fresh context (no cache, no OPFS): the app fetches by ranges;
 * for the other arm the page's requests for the file lose their Range header, so the server sends it whole
 * and the engine takes it whole (src/engine/http-range.ts).
 */
async function browserFirstFrame(base: string, id: string, tick: bigint, runs: number, log: (line: string) => void, network?: Network): Promise<{ ranges: number; whole: number }> {
  const browser = await launchBenchBrowser();
  const link = new URL(`/r/${id}?t=${tick}&view=registers`, base).href;
  const open = async (whole: boolean) => {
    const context = await browser.newContext({ viewport: { width: 1500, height: 1000 } });
    if (network) {
      // Chromium's own network emulation (DevTools), for the page and the workers it starts.
      context.on('page', (page) => void context.newCDPSession(page).then((cdp) => cdp.send('Network.emulateNetworkConditions', { offline: false, latency: network.rttMs, downloadThroughput: network.bytesPerSecond, uploadThroughput: network.bytesPerSecond })));
    }
    if (whole) {
      await context.route(
        (url) => url.pathname === `/api/recordings/${id}/file`,
        (route) => route.continue({ headers: Object.fromEntries(Object.entries(route.request().headers()).filter(([name]) => name.toLowerCase() !== 'range')) }),
      );
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
    const before = { fetched, requests };
    await context.close();
    bytes.push(before);
    return ms;
  };
  const bytes: Array<{ fetched: number; requests: number }> = [];
  try {
    const ranges: number[] = [];
    const whole: number[] = [];
    for (let i = 0; i < runs; i++) {
      ranges.push(await open(false));
      whole.push(await open(true));
      const [r, w] = bytes.slice(-2);
      log(`first frame in Chromium${network ? ` (${network.name})` : ''}: run ${i + 1}: by ranges ${ranges[i].toFixed(0)} ms (${(r.fetched / 2 ** 20).toFixed(1)} MiB in ${r.requests} requests before it), whole file ${whole[i].toFixed(0)} ms (${(w.fetched / 2 ** 20).toFixed(1)} MiB)`);
    }
    return { ranges: median(ranges), whole: median(whole) };
  } finally {
    await browser.close();
  }
}
