// `npm run bench -- --only share-analyses`: what a colleague saves when an
// analysis is already on the server (issue 13). The fork-and-pipe demo is
// shared on a `prnr serve` child process and its syscalls analysed once
// through the link (every partial sent there); then, side by side, each run
// in a fresh output directory so nothing is cached beside the file:
//   replayed:    prnr analyze FILE --syscalls --jobs 2 (every slice replayed);
//   from server: prnr analyze LINK --syscalls --jobs 2 (every partial read from
//                the server; the recording itself already in the CLI's cache, so
//                the two differ only in how the partials come).
// Both are whole CLI processes (start, open, merge, write the result).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { prnr } from '../../test/prnr';
import { analysesPath, partialPath, type SharedAnalysis } from '../../src/shared/server-api';
import { median, type BenchRow } from './stats';
import { spawnServe } from './serve-process';

export async function benchShareAnalyses(runs: number, log: (line: string) => void): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'prnr-bench-share-analyses-'));
  const server = await spawnServe(join(dir, 'data'));
  try {
    const bytes = new Uint8Array(gunzipSync(readFileSync(new URL('../../public/demos/fork-and-pipe.prnr.gz', import.meta.url))));
    const file = join(dir, 'fork-and-pipe.prnr');
    writeFileSync(file, bytes);
    const pushed = await prnr(['push', file, '--server', server.url]);
    if (pushed.code !== 0) throw new Error(`prnr push failed: ${pushed.stderr}`);
    const link = pushed.stdout.trim().split('\n').at(-1)!;
    const env = { PRNR_CACHE_DIR: join(dir, 'cache') };
    let out = 0;
    const analyze = async (target: string, expect: RegExp) => {
      const r = await prnr(['analyze', target, '--syscalls', '--jobs', '2', '-o', join(dir, `out-${out++}`)], { env });
      if (r.code !== 0 || !expect.test(r.stdout)) throw new Error(`prnr analyze ${target} did not ${expect}: ${r.stdout}${r.stderr}`);
      return r.ms;
    };
    log('share-analyses: the syscalls of fork-and-pipe analysed once through the link…');
    await analyze(link, /slice replays/);
    const id = new URL(link).pathname.split('/').at(-1)!;
    const [shared] = (await (await fetch(new URL(analysesPath(id), server.url))).json()) as SharedAnalysis[];
    let partialBytes = 0;
    for (const slice of shared!.slices) partialBytes += (await (await fetch(new URL(partialPath(id, { ...shared!, slice }), server.url))).text()).length;
    const replayed: number[] = [];
    const fromServer: number[] = [];
    for (let i = 0; i < runs; i++) {
      log(`share-analyses: run ${i + 1} of ${runs}…`);
      replayed.push(await analyze(file, /slice replays/));
      fromServer.push(await analyze(link, /from the cache/));
    }
    const r = median(replayed);
    const s = median(fromServer);
    return [
      { name: 'syscalls, every slice replayed', value: r / 1000, unit: 's', note: `prnr analyze FILE, ${shared!.slices.length} slices on 2 workers, median of ${runs}` },
      { name: 'syscalls, every partial from the server', value: s / 1000, unit: 's', note: `prnr analyze LINK, ${(partialBytes / 1024).toFixed(0)} KiB of partials; ${(r / s).toFixed(1)}x faster` },
    ];
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
