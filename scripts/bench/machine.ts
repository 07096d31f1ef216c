// Machine benchmarks (issues 4 and 14), measured side by side with real QEMU
// (TCG) on the same image in one run: guest MIPS on the CPU-bound demo
// program and boot-to-prompt wall time, each with the JIT on and off (the
// interpreter alone), and what the JIT spent translating.
import { compileMachineModule } from '../../src/engine/node/machine-module';
import { loadNodeBootConfig } from '../../src/engine/node/images';
import { Machine } from '../../src/engine/machine';
import type { JitStats } from '../../src/engine/jit/jit';
import { GuestConsole } from '../../src/engine/guest-console';
import { QemuGuest } from '../oracle/qemu';
import { median, type BenchRow } from './stats';

const BUDGET = 20_000_000_000n;
export const CPU_PROGRAM = '/demo/cpubench';

interface OursRun {
  bootMs: number;
  bootTicks: bigint;
  programMs: number;
  programTicks: bigint;
  output: string;
  jit: JitStats;
}

async function runOurs(module: WebAssembly.Module, jit: boolean): Promise<OursRun> {
  const { config, image } = await loadNodeBootConfig('default');
  const prompt = image.manifest.prompt;
  const started = performance.now();
  const machine = await Machine.create(module, { jit });
  machine.boot(config);
  const guest = new GuestConsole(machine);
  guest.waitFor(prompt, BUDGET);
  const bootMs = performance.now() - started;
  const bootTicks = machine.tick;
  const from = guest.transcript.length;
  guest.type(`${CPU_PROGRAM}\n`);
  guest.waitFor(`${CPU_PROGRAM}\r\n`, BUDGET, from); // the echo: the shell has the line
  const t0 = performance.now();
  const tick0 = machine.tick;
  const { text } = guest.waitFor(prompt, BUDGET, from + CPU_PROGRAM.length + 2);
  return { bootMs, bootTicks, programMs: performance.now() - t0, programTicks: machine.tick - tick0, output: text.trim(), jit: machine.jitStats() };
}

async function runQemu(): Promise<{ bootMs: number; programMs: number; output: string }> {
  const guest = await QemuGuest.boot();
  try {
    const t0 = performance.now();
    const result = await guest.run(CPU_PROGRAM);
    const programMs = performance.now() - t0;
    await guest.poweroff();
    return { bootMs: guest.bootMs, programMs, output: result.output.trim() };
  } catch (err) {
    await guest.kill();
    throw err;
  }
}

export async function benchMachine(runs: number, log: (line: string) => void): Promise<BenchRow[]> {
  const module = await compileMachineModule();
  const jit: OursRun[] = [];
  const interp: OursRun[] = [];
  const qemu: { bootMs: number; programMs: number; output: string }[] = [];
  for (let i = 0; i < runs; i++) {
    // Interleaved, so all three see the same machine load.
    jit.push(await runOurs(module, true));
    interp.push(await runOurs(module, false));
    qemu.push(await runQemu());
    log(`run ${i + 1}/${runs}: JIT boot ${jit[i]!.bootMs.toFixed(0)} ms, ${CPU_PROGRAM} ${jit[i]!.programMs.toFixed(0)} ms; interpreter boot ${interp[i]!.bootMs.toFixed(0)} ms, ${CPU_PROGRAM} ${interp[i]!.programMs.toFixed(0)} ms; qemu boot ${qemu[i]!.bootMs.toFixed(0)} ms, ${CPU_PROGRAM} ${qemu[i]!.programMs.toFixed(0)} ms`);
  }
  const checksum = (s: string) => /checksum=([0-9a-f]+)/.exec(s)?.[1];
  for (const [who, out] of [['the JIT', jit[0]!.output], ['the interpreter', interp[0]!.output]] as const) {
    if (checksum(out) !== checksum(qemu[0]!.output)) {
      throw new Error(`${CPU_PROGRAM} printed different results: ${who} ${JSON.stringify(out)}, qemu ${JSON.stringify(qemu[0]!.output)}`);
    }
  }
  const mips = (r: OursRun[]) => median(r.map((x) => Number(x.programTicks) / x.programMs / 1000));
  const jitMs = median(jit.map((r) => r.programMs));
  const interpMs = median(interp.map((r) => r.programMs));
  const qemuMs = median(qemu.map((r) => r.programMs));
  const jitBoot = median(jit.map((r) => r.bootMs));
  const interpBoot = median(interp.map((r) => r.bootMs));
  const qemuBoot = median(qemu.map((r) => r.bootMs));
  const cost = jit[0]!.jit;
  return [
    { name: 'guest MIPS (cpubench, Node, JIT)', value: mips(jit), unit: 'MIPS', note: `median of ${runs}; target >= 4x the interpreter` },
    { name: 'guest MIPS (cpubench, Node, interpreter)', value: mips(interp), unit: 'MIPS', note: `median of ${runs}; --no-jit` },
    { name: 'cpubench JIT speedup over the interpreter', value: interpMs / jitMs, unit: 'x', note: 'target >= 4' },
    { name: 'cpubench wall, JIT', value: jitMs, unit: 'ms', note: `${Number(jit[0]!.programTicks) / 1e6}M instructions` },
    { name: 'cpubench wall, interpreter', value: interpMs, unit: 'ms' },
    { name: 'cpubench wall, QEMU TCG', value: qemuMs, unit: 'ms', note: 'includes the serial round trip of the oracle' },
    { name: 'cpubench JIT / QEMU', value: jitMs / qemuMs, unit: 'x' },
    { name: 'cpubench interpreter / QEMU', value: interpMs / qemuMs, unit: 'x' },
    { name: 'boot to prompt, JIT (first: translating)', value: jit[0]!.bootMs, unit: 'ms', note: `${Number(jit[0]!.bootTicks) / 1e6}M ticks; the thread's translation cache empty` },
    ...(runs > 1 ? [{ name: 'boot to prompt, JIT (later: cached)', value: median(jit.slice(1).map((r) => r.bootMs)), unit: 'ms', note: 'translations served by the cache of compiled modules' }] : []),
    { name: 'boot to prompt, interpreter', value: interpBoot, unit: 'ms' },
    { name: 'boot to prompt, QEMU', value: qemuBoot, unit: 'ms' },
    { name: 'boot JIT / QEMU', value: jitBoot / qemuBoot, unit: 'x', note: `median of ${runs}; target <= 5` },
    { name: 'boot JIT / interpreter', value: jitBoot / interpBoot, unit: 'x', note: `median of ${runs}` },
    { name: 'JIT translations (boot + cpubench)', value: cost.translations, unit: 'functions', note: `one module each; ${cost.reused} more entries served by them; ${cost.blocks} blocks, ${cost.instructions} guest instructions, ${cost.codePages} code pages at the end` },
    { name: 'JIT translate time', value: cost.translateMs, unit: 'ms', note: 'decoding and emitting wasm (first run)' },
    { name: 'JIT compile time', value: cost.compileMs, unit: 'ms', note: 'new WebAssembly.Module (first run; V8 compiles each function at its first call, inside the run)' },
    { name: 'JIT instantiate time', value: cost.instantiateMs, unit: 'ms', note: `first run; later runs: ${jit.slice(1).map((r) => `${r.jit.cacheHits} cache hits, ${r.jit.instantiateMs.toFixed(0)} ms`).join('; ') || 'none'}` },
    { name: 'JIT code generated', value: cost.bytes / 1024, unit: 'KiB' },
    { name: 'JIT share of instructions', value: (100 * cost.executed) / Number(jit[0]!.bootTicks + jit[0]!.programTicks), unit: '%', note: `${cost.entries} entries into translated code` },
  ];
}
