// Machine benchmarks (issues 4 and 14), measured side by side with real QEMU
// (TCG) on the same image in one run: guest MIPS on the CPU-bound demo
// program and boot-to-prompt wall time, each with the JIT on and off (the
// interpreter alone), and what the JIT spent translating.
import { compileMachineModule } from '../../src/engine/node/machine-module';
import { loadNodeBootConfig } from '../../src/engine/node/images';
import { Machine } from '../../src/engine/machine';
import { QemuGuest } from '../oracle/qemu';
import { CPU_PROGRAM, runCpubench, type CpubenchRun } from './cpubench-run';
import { median, type BenchRow } from './stats';

/** One boot and cpubench run of ours, the steps the Chromium bench takes too (cpubench-run.ts). */
async function runOurs(module: WebAssembly.Module, jit: boolean): Promise<CpubenchRun> {
  const { config, image } = await loadNodeBootConfig('default');
  const machine = await Machine.create(module, { jit });
  return runCpubench(machine, config, image.manifest.prompt, () => performance.now());
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
  const jit: CpubenchRun[] = [];
  const interp: CpubenchRun[] = [];
  const qemu: { bootMs: number; programMs: number; output: string }[] = [];
  for (let i = 0; i < runs; i++) {
    // Interleaved, so all three see the same machine load.
    jit.push(await runOurs(module, true));
    interp.push(await runOurs(module, false));
    qemu.push(await runQemu());
    log(`run ${i + 1}/${runs}: JIT boot ${jit[i]!.bootMs.toFixed(0)} ms, ${CPU_PROGRAM} ${jit[i]!.programMs.toFixed(0)} ms; interpreter boot ${interp[i]!.bootMs.toFixed(0)} ms, ${CPU_PROGRAM} ${interp[i]!.programMs.toFixed(0)} ms; qemu boot ${qemu[i]!.bootMs.toFixed(0)} ms, ${CPU_PROGRAM} ${qemu[i]!.programMs.toFixed(0)} ms`);
  }
  const qemuChecksum = /checksum=([0-9a-f]+)/.exec(qemu[0]!.output)?.[1];
  for (const [who, run] of [['the JIT', jit[0]!], ['the interpreter', interp[0]!]] as const) {
    if (run.checksum === undefined || run.checksum !== qemuChecksum) {
      throw new Error(`${CPU_PROGRAM} printed different results: ${who} checksum ${run.checksum}, qemu ${JSON.stringify(qemu[0]!.output)}`);
    }
  }
  const mips = (r: CpubenchRun[]) => median(r.map((x) => Number(x.programTicks) / x.programMs / 1000));
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
