// Self-modifying code on the bare machine (issue 14, docs/design.md 2 The JIT),
// in prnr's machine with the JIT off, on with every jump target translated at
// its first visit or after 1000 executions, and on as it runs by default; and
// in qemu-system-riscv64:
// - a loop that rewrites its own body with plain stores (M-mode);
// - the same loop rewriting itself through a second, writable mapping of its
//   page (S-mode, Sv39);
// - a hot loop whose page the virtio-blk device overwrites by DMA, the request
//   notified from another page or from inside the page being overwritten.
// The programs (test/jit/programs) are assembled here; what they print is
// also computed here from their arithmetic. With FENCE.I after
// each rewrite the ISA defines what runs, so the output must equal QEMU's;
// without it (NO_FENCE_I) only the JIT is compared with the interpreter,
// which must agree at every stop: tick, reason and state hash.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Machine, Prng, STOP } from '../../wasm/test/machine-harness';
import { Jit, type JitMachineExports, type JitStats } from '../../src/engine/jit/jit';
import { TEST_BASE, UART0_BASE, VIRTIO_BASE, VIRTIO_SLOTS, VIRTIO_STRIDE } from '../../src/shared/machine-constants';
import { assemble, sectionBytes, symbols } from '../helpers/riscv-asm';
import { runQemuBare } from '../helpers/qemu-bare';

const dir = mkdtempSync(join(tmpdir(), 'prnr-smc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BOARD = { UART_BASE: UART0_BASE, TEST_BASE, VIRTIO_BASE, VIRTIO_STRIDE, VIRTIO_SLOTS };
const MAX_TICKS = 20_000_000n;
const RAM_BYTES = 16 << 20;

/** How a run executes: the interpreter alone, the JIT translating at the first visit or after 1000 executions, the JIT as configured by default. */
const MODES = [
  { name: 'interpreter', jit: false, options: {} },
  { name: 'JIT, threshold 1', jit: true, options: { threshold: 1 } },
  { name: 'JIT, threshold 1000', jit: true, options: { threshold: 1000 } },
  { name: 'JIT, default threshold', jit: true, options: {} },
] as const;

/**
 * The JIT runs the bounds on translated code are checked in: those with a
 * threshold low enough for the programs' first version to turn hot (the
 * default, DEFAULT_THRESHOLD, is checked for exactness in runAllModes).
 */
const bounded = (runs: Run[]): Run[] => runs.filter((_, i) => 'threshold' in MODES[i]!.options);

interface Run {
  /** (tick, stop reason, state hash) at every stop. */
  stops: string[];
  output: string;
  code: number;
  stats: JitStats;
}

/** Runs `elf` (with `disk` on the virtio-blk device) to poweroff in runs of pseudo-random lengths (about 10,000 ticks, some under 300), the same in every mode. */
function runPrnr(elf: string, disk: Uint8Array | undefined, mode: (typeof MODES)[number]): Run {
  const jit = new Jit();
  const m = new Machine(RAM_BYTES, { jitCompile: jit.compileImport });
  jit.attach(m.exports as unknown as JitMachineExports, mode.jit, mode.options);
  if (disk) {
    const ptr = m.exports.diskAlloc(disk.length);
    new Uint8Array(m.exports.memory.buffer, ptr, disk.length).set(disk);
    m.exports.diskClearDirty();
  }
  m.loadElf(new Uint8Array(readFileSync(elf)));
  const rng = new Prng(0x5eedn);
  const stops: string[] = [];
  for (;;) {
    const until = m.tick() + BigInt(1 + rng.below(rng.below(4) === 0 ? 300 : 20_000));
    const reason = m.run(until);
    stops.push(`${m.tick()} ${reason} ${m.hash().toString(16)}`);
    if (reason === STOP.poweroff || reason === STOP.reboot) break;
    if (m.tick() >= MAX_TICKS) throw new Error(`${elf} did not power off within ${MAX_TICKS} ticks; printed:\n${m.consoleText()}`);
  }
  return { stops, output: m.consoleText(), code: m.exports.powerOffCode(), stats: jit.stats() };
}

/** Runs in every mode; expects the same stops and output in all, and returns them. */
function runAllModes(elf: string, disk?: Uint8Array): Run[] {
  const runs = MODES.map((mode) => runPrnr(elf, disk, mode));
  for (const [i, run] of runs.entries()) {
    expect(run.output, MODES[i]!.name).toBe(runs[0]!.output);
    expect(run.stops, MODES[i]!.name).toEqual(runs[0]!.stops);
  }
  expect(runs[0]!.code).toBe(0);
  expect(runs[0]!.stats.executed).toBe(0);
  return runs;
}

// The rewriting loop (rewrite-loop.inc): 6 rounds of 4 * 1024 iterations of 7 instructions,
// a new word stored every 1024 iterations; the immediates written count 1, 2, ... 24.
const REWRITE = { rounds: 6, iterations: 6 * 4 * 1024, bodyInstructions: 7, rewrites: 24 };
/** rewrite-loop.inc REWRITE_WITH: the store that rewrites the loop. */
const STORES = ['sw', 'amoswap.w', 'sh', 'fsw'];

/** What the rewriting programs print: the model of rewrite-loop.inc, the sum after each round, then the last word written. */
function rewriteOutput(): string {
  const mask = (1n << 64n) - 1n;
  const hex = (v: bigint): string => `${v.toString(16).padStart(16, '0')}\n`;
  let s2 = 0n;
  let next = 1n; // s10
  let imm = 1n;
  let out = '';
  for (let round = 0; round < REWRITE.rounds; round++) {
    for (let t0 = REWRITE.iterations / REWRITE.rounds; t0 > 0; t0--) {
      if (t0 % 1024 === 0) imm = next++;
      s2 = (s2 + imm) & mask;
      s2 ^= (s2 << 7n) & mask;
      s2 ^= s2 >> 9n;
    }
    out += hex(s2);
  }
  return out + hex(0x00090913n | (imm << 20n)); // addi s2, s2, imm
}

describe('a loop rewriting its own body', () => {
  for (const [program, what] of [['smc-loop.S', '(M-mode)'], ['smc-alias.S', 'through a second, writable mapping of its page (S-mode, Sv39)']] as const) {
    it.each(STORES.map((store, i) => [store, i] as const))(`with %s ${what}: the same in the interpreter, the JIT and QEMU`, (store, storeIndex) => {
      const elf = assemble(program, dir, `${program}-${store}.elf`, { defsym: { ...BOARD, REWRITE_WITH: storeIndex }, script: 'bare.ld' });
      const runs = runAllModes(elf);
      expect(runs[0]!.output).toBe(rewriteOutput());
      for (const run of bounded(runs)) {
        // Nearly every iteration ran translated, and every rewrite made the loop translate anew.
        expect(run.stats.executed).toBeGreaterThan(0.9 * REWRITE.iterations * REWRITE.bodyInstructions);
        expect(run.stats.translations).toBeGreaterThanOrEqual(REWRITE.rewrites);
      }
      const qemu = runQemuBare(elf);
      expect(qemu.status).toBe(0);
      expect(runs[0]!.output).toBe(qemu.output);
    });
  }

  it.each(STORES.map((store, i) => [store, i] as const))('with %s without FENCE.I (what runs is then not defined by the ISA): the JIT as the interpreter', (store, storeIndex) => {
    const elf = assemble('smc-loop.S', dir, `smc-loop-nofence-${store}.elf`, { defsym: { ...BOARD, NO_FENCE_I: 1, REWRITE_WITH: storeIndex }, script: 'bare.ld' });
    const runs = runAllModes(elf);
    // prnr's machine fetches coherently with every store (docs/design.md 2), so the new word runs at once.
    expect(runs[0]!.output).toBe(rewriteOutput());
    for (const run of bounded(runs)) expect(run.stats.executed).toBeGreaterThan(0.9 * REWRITE.iterations * REWRITE.bodyInstructions);
  });
});

describe('code rewritten by virtio DMA', () => {
  // smc-dma.S: 6 rounds of 3000 iterations of 7 instructions in the page of code, then a
  // 7th; after round r the device reads version r + 2 over the page (from disk sector 8 * r).
  const DMA = { rounds: 6, iterations: 3000, bodyInstructions: 7 };
  const PAGE = 4096;
  const HEAD = 0x100; // smc-dma.S: the loop, padded to here; the tail is the same in every version but one word

  /** Builds version 1 (the ELF) and a disk holding versions 2..rounds+1, one 4 KiB page each. */
  function build(name: string, defsym: Record<string, number> = {}): { elf: string; disk: string; diskBytes: Uint8Array } {
    const versions = Array.from({ length: DMA.rounds + 1 }, (_, i) =>
      assemble('smc-dma.S', dir, `${name}-v${i + 1}.elf`, { defsym: { ...BOARD, ...defsym, V: i + 1 }, script: 'bare.ld' }));
    const pages = versions.map((elf) => sectionBytes(elf, '.smc'));
    const tailNew = Number(symbols(versions[0]!).get('dma_tail_new')! - symbols(versions[0]!).get('dma_loop')!);
    for (const page of pages) {
      expect(page.length).toBe(PAGE);
      // What runs between the notifying store and FENCE.I is the same in every version (else the ISA would not say what runs).
      expect(page.subarray(HEAD, tailNew)).toEqual(pages[0]!.subarray(HEAD, tailNew));
      expect(page.subarray(tailNew + 4)).toEqual(pages[0]!.subarray(tailNew + 4));
    }
    const diskBytes = new Uint8Array(PAGE * DMA.rounds);
    pages.slice(1).forEach((page, i) => diskBytes.set(page, i * PAGE));
    const disk = join(dir, `${name}.disk`);
    writeFileSync(disk, diskBytes);
    return { elf: versions[0]!, disk, diskBytes };
  }

  /**
   * What smc-dma.S prints, modelled: per round r, version v = r + 1 of the loop has run (s2: add
   * v if v is odd, else xor it, then mix), and s6 sums the versions whose tail ran after a rewrite
   * from inside the page (odd rounds r read version r + 2).
   */
  function dmaOutput(): string {
    const mask = (1n << 64n) - 1n;
    const hex = (v: bigint): string => v.toString(16).padStart(16, '0');
    let s2 = 0n;
    let s6 = 0n;
    let out = '';
    for (let round = 0; round <= DMA.rounds; round++) {
      const v = BigInt(round + 1);
      for (let i = 0; i < DMA.iterations; i++) {
        s2 = v % 2n === 1n ? (s2 + v) & mask : s2 ^ v;
        s2 ^= (s2 << 5n) & mask;
        s2 ^= s2 >> 11n;
      }
      if (round % 2 === 1 && round < DMA.rounds) s6 += v + 1n;
      out += `${hex(s2)} ${hex(s6)}\n`;
    }
    return out;
  }

  function checkJit(runs: Run[]): void {
    for (const run of bounded(runs)) {
      expect(run.stats.executed).toBeGreaterThan(0.9 * (DMA.rounds + 1) * DMA.iterations * DMA.bodyInstructions);
      expect(run.stats.translations).toBeGreaterThanOrEqual(DMA.rounds + 1);
    }
  }

  it('after FENCE.I the version the device wrote runs: the same in the interpreter, the JIT and QEMU', () => {
    const { elf, disk, diskBytes } = build('smc-dma');
    const runs = runAllModes(elf, diskBytes);
    expect(runs[0]!.output).toBe(dmaOutput());
    checkJit(runs);
    const qemu = runQemuBare(elf, { disk });
    expect(qemu.status).toBe(0);
    expect(runs[0]!.output).toBe(qemu.output);
  });

  it('without FENCE.I: the JIT as the interpreter, which runs what the device wrote at once', () => {
    const { elf, diskBytes } = build('smc-dma-nofence', { NO_FENCE_I: 1 });
    const runs = runAllModes(elf, diskBytes);
    // prnr's machine completes a request before the notifying store retires and fetches coherently
    // (docs/design.md 2), so the new tail runs even without FENCE.I: the fenced program's output.
    expect(runs[0]!.output).toBe(dmaOutput());
    checkJit(runs);
  });
});
