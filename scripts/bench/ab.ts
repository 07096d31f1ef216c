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

interface Sample { bootMs: number; mips: number; programMs: number; checksum: string | undefined }

async function runOnce(module: WebAssembly.Module): Promise<Sample> {
  const { config, image } = await loadNodeBootConfig('default');
  const prompt = image.manifest.prompt;
  const started = performance.now();
  const machine = await Machine.create(module);
  machine.boot(config);
  const guest = new GuestConsole(machine);
  guest.waitFor(prompt, BUDGET);
  const bootMs = performance.now() - started;
  const from = guest.transcript.length;
  guest.type(`${PROGRAM}\n`);
  guest.waitFor(`${PROGRAM}\r\n`, BUDGET, from);
  const t0 = performance.now();
  const tick0 = machine.tick;
  const { text } = guest.waitFor(prompt, BUDGET, from + PROGRAM.length + 2);
  const programMs = performance.now() - t0;
  return { bootMs, programMs, mips: Number(machine.tick - tick0) / programMs / 1000, checksum: /checksum=([0-9a-f]+)/.exec(text)?.[1] };
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
      console.error(`run ${r + 1}/${runs} ${paths[k]}: boot ${s.bootMs.toFixed(0)} ms, ${PROGRAM} ${s.mips.toFixed(1)} MIPS`);
    }
  }
  const checksums = new Set(samples.flat().map((s) => s.checksum));
  if (checksums.size !== 1) throw new Error(`builds disagree on ${PROGRAM}'s result: ${[...checksums].join(', ')}`);
  const base = samples[0]!;
  console.log(`build${' '.repeat(40)}  boot ms   MIPS   (medians of ${runs}; ratios vs the first)`);
  for (let i = 0; i < paths.length; i++) {
    const boot = median(samples[i]!.map((s) => s.bootMs));
    const mips = median(samples[i]!.map((s) => s.mips));
    const ratio = i === 0 ? '' : `  boot x${(boot / median(base.map((s) => s.bootMs))).toFixed(3)}, MIPS x${(mips / median(base.map((s) => s.mips))).toFixed(3)}`;
    console.log(`${paths[i]!.padEnd(45)}  ${boot.toFixed(0).padStart(7)}  ${mips.toFixed(1).padStart(6)}${ratio}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
