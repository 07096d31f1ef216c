// Machine benchmarks (issue 4), measured side by side with real QEMU (TCG) on
// the same image in one run: guest MIPS on the CPU-bound demo program, and
// boot-to-prompt wall time.
import { compileMachineModule } from '../../src/engine/node/machine-module';
import { loadNodeBootConfig } from '../../src/engine/node/images';
import { Machine } from '../../src/engine/machine';
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
}

async function runOurs(module: WebAssembly.Module): Promise<OursRun> {
  const { config, image } = await loadNodeBootConfig('default');
  const prompt = image.manifest.prompt;
  const started = performance.now();
  const machine = await Machine.create(module);
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
  return { bootMs, bootTicks, programMs: performance.now() - t0, programTicks: machine.tick - tick0, output: text.trim() };
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
  const ours: OursRun[] = [];
  const qemu: { bootMs: number; programMs: number; output: string }[] = [];
  for (let i = 0; i < runs; i++) {
    // Interleaved, so both sides see the same machine load.
    ours.push(await runOurs(module));
    qemu.push(await runQemu());
    log(`run ${i + 1}/${runs}: ours boot ${ours[i]!.bootMs.toFixed(0)} ms, ${CPU_PROGRAM} ${ours[i]!.programMs.toFixed(0)} ms; qemu boot ${qemu[i]!.bootMs.toFixed(0)} ms, ${CPU_PROGRAM} ${qemu[i]!.programMs.toFixed(0)} ms`);
  }
  const checksum = (s: string) => /checksum=([0-9a-f]+)/.exec(s)?.[1];
  if (checksum(ours[0]!.output) !== checksum(qemu[0]!.output)) {
    throw new Error(`${CPU_PROGRAM} printed different results: ours ${JSON.stringify(ours[0]!.output)}, qemu ${JSON.stringify(qemu[0]!.output)}`);
  }
  const mips = ours.map((r) => Number(r.programTicks) / r.programMs / 1000);
  const ourProgramMs = median(ours.map((r) => r.programMs));
  const qemuProgramMs = median(qemu.map((r) => r.programMs));
  const ourBootMs = median(ours.map((r) => r.bootMs));
  const qemuBootMs = median(qemu.map((r) => r.bootMs));
  return [
    { name: 'guest MIPS (cpubench, Node)', value: median(mips), unit: 'MIPS', note: `median of ${runs}; target >= 100` },
    { name: 'cpubench wall, ours', value: ourProgramMs, unit: 'ms', note: `${Number(ours[0]!.programTicks) / 1e6}M instructions` },
    { name: 'cpubench wall, QEMU TCG', value: qemuProgramMs, unit: 'ms', note: 'includes the serial round trip of the oracle' },
    { name: 'cpubench ours / QEMU', value: ourProgramMs / qemuProgramMs, unit: 'x' },
    { name: 'boot to prompt, ours', value: ourBootMs, unit: 'ms', note: `${Number(ours[0]!.bootTicks) / 1e6}M ticks` },
    { name: 'boot to prompt, QEMU', value: qemuBootMs, unit: 'ms' },
    { name: 'boot ours / QEMU', value: ourBootMs / qemuBootMs, unit: 'x', note: 'target <= 5' },
  ];
}
