// Side-by-side machine benchmark of two or more builds of machine.wasm, in one
// process, runs interleaved (A B A B ...) so that every build sees the same
// machine load: Linux boot to the prompt and /demo/cpubench, as in
// scripts/bench/machine.ts, medians per build. For a change to the
// interpreter, build the wasm before and after it and compare:
//   npx tsx scripts/bench/ab.ts [--runs N] before.wasm after.wasm
// Every build must report the API version of this checkout (Machine.create checks it).
import { compileMachineModule } from '../../src/engine/node/machine-module';
import { loadNodeBootConfig } from '../../src/engine/node/images';
import { Machine } from '../../src/engine/machine';
import { GuestConsole } from '../../src/engine/guest-console';

const BUDGET = 20_000_000_000n;
const PROGRAM = '/demo/cpubench';

/** Wall-clock figures, and the same per CPU millisecond of this process (steadier on a loaded host). */
interface Sample { bootMs: number; bootCpuMs: number; mips: number; cpuMips: number; checksum: string | undefined }

const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

async function runOnce(module: WebAssembly.Module): Promise<Sample> {
  const { config, image } = await loadNodeBootConfig('default');
  const prompt = image.manifest.prompt;
  const started = performance.now();
  const startedCpu = cpuMs();
  const machine = await Machine.create(module);
  machine.boot(config);
  const guest = new GuestConsole(machine);
  guest.waitFor(prompt, BUDGET);
  const bootMs = performance.now() - started;
  const bootCpuMs = cpuMs() - startedCpu;
  const from = guest.transcript.length;
  guest.type(`${PROGRAM}\n`);
  guest.waitFor(`${PROGRAM}\r\n`, BUDGET, from);
  const t0 = performance.now();
  const c0 = cpuMs();
  const tick0 = machine.tick;
  const { text } = guest.waitFor(prompt, BUDGET, from + PROGRAM.length + 2);
  const programMs = performance.now() - t0;
  const programCpuMs = cpuMs() - c0;
  const ticks = Number(machine.tick - tick0);
  return { bootMs, bootCpuMs, mips: ticks / programMs / 1000, cpuMips: ticks / programCpuMs / 1000, checksum: /checksum=([0-9a-f]+)/.exec(text)?.[1] };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let runs = 5;
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--runs') runs = Number(args[++i]);
    else paths.push(args[i]!);
  }
  if (paths.length < 2 || !(runs >= 1)) throw new Error('usage: npx tsx scripts/bench/ab.ts [--runs N] a.wasm b.wasm ...');
  const modules = await Promise.all(paths.map((p) => compileMachineModule(p)));
  const samples: Sample[][] = paths.map(() => []);
  for (let r = 0; r < runs; r++) {
    for (let i = 0; i < modules.length; i++) {
      // Alternate which build goes first, so neither always runs on a warmer host.
      const k = r % 2 === 0 ? i : modules.length - 1 - i;
      const s = await runOnce(modules[k]!);
      samples[k]!.push(s);
      console.error(`run ${r + 1}/${runs} ${paths[k]}: boot ${s.bootMs.toFixed(0)} ms (${s.bootCpuMs.toFixed(0)} CPU ms), ${PROGRAM} ${s.mips.toFixed(1)} MIPS (${s.cpuMips.toFixed(1)} per CPU second)`);
    }
  }
  const checksums = new Set(samples.flat().map((s) => s.checksum));
  if (checksums.size !== 1) throw new Error(`builds disagree on ${PROGRAM}'s result: ${[...checksums].join(', ')}`);
  // Medians, and the best run of each build (interference from other processes only ever slows a run down).
  const stat = (i: number, key: keyof Omit<Sample, 'checksum'>, best: boolean) => {
    const xs = samples[i]!.map((s) => s[key]);
    if (!best) return median(xs);
    return key === 'mips' || key === 'cpuMips' ? Math.max(...xs) : Math.min(...xs);
  };
  const columns = [
    ['boot ms', 'bootMs', false], ['boot CPU ms', 'bootCpuMs', false], ['best boot CPU ms', 'bootCpuMs', true],
    ['MIPS', 'mips', false], ['MIPS/CPU s', 'cpuMips', false], ['best MIPS/CPU s', 'cpuMips', true],
  ] as const;
  console.log(`${runs} interleaved runs per build: medians and best runs; ratios against the first build`);
  console.log(`${'build'.padEnd(40)}${columns.map(([title]) => title.padStart(18)).join('')}`);
  for (let i = 0; i < paths.length; i++) {
    const cells = columns.map(([, key, best]) => {
      const v = stat(i, key, best);
      const ratio = i === 0 ? '' : ` x${(v / stat(0, key, best)).toFixed(3)}`;
      return `${v.toFixed(key === 'mips' || key === 'cpuMips' ? 1 : 0)}${ratio}`.padStart(18);
    });
    console.log(`${paths[i]!.padEnd(40)}${cells.join('')}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
