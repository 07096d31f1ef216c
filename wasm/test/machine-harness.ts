// Loads wasm/build/machine.wasm as a whole machine and runs guest programs on
// it: the ISA tests (wasm/test/isa), the QEMU differential tests and the
// robustness tests share these helpers.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MachineExports } from '../exports';
import { RAM_BASE, StopReason } from '../build/constants';
import { instantiateMachine, u64 } from './wasm-module';

export { RAM_BASE, u64 };
export const STOP = StopReason;

export const hex = (v: bigint): string => `0x${u64(v).toString(16)}`;

export class Machine {
  readonly exports: MachineExports;
  readonly ramBytes: number;
  private output: number[] = [];

  /** `env`: extra imports (the JIT's jitCompile, test/jit). */
  constructor(ramBytes = 8 << 20, env: Record<string, unknown> = {}) {
    this.exports = instantiateMachine(env);
    this.ramBytes = ramBytes;
    this.exports.init(BigInt(ramBytes));
  }

  /** Guest physical RAM as bytes (index 0 = RAM_BASE). Re-read after anything that may grow memory. */
  ram(): Uint8Array {
    return new Uint8Array(this.exports.memory.buffer, this.exports.ramHostPtr(), this.ramBytes);
  }

  /** Copies bytes into guest RAM at physical address `paddr`. */
  write(paddr: bigint, bytes: Uint8Array): void {
    this.ram().set(bytes, Number(paddr - RAM_BASE));
  }

  /** Loads the PT_LOAD segments of a little-endian ELF64 image; returns its entry point. */
  loadElf(image: Uint8Array): bigint {
    const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
    if (view.getUint32(0) !== 0x7f454c46 || image[4] !== 2) throw new Error('not an ELF64 image');
    const phoff = Number(view.getBigUint64(0x20, true));
    const phentsize = view.getUint16(0x36, true);
    const phnum = view.getUint16(0x38, true);
    for (let i = 0; i < phnum; i++) {
      const ph = phoff + i * phentsize;
      if (view.getUint32(ph, true) !== 1) continue; // PT_LOAD
      const offset = Number(view.getBigUint64(ph + 8, true));
      const paddr = view.getBigUint64(ph + 24, true);
      const filesz = Number(view.getBigUint64(ph + 32, true));
      this.write(paddr, image.subarray(offset, offset + filesz));
    }
    const entry = view.getBigUint64(0x18, true);
    this.exports.setBootRegisters(entry, 0n, 0n);
    return entry;
  }

  /** Runs until poweroff/reboot/idle or `untilTick`, draining console output as it goes. */
  run(untilTick: bigint): number {
    for (;;) {
      const reason = this.exports.run(untilTick);
      this.drainOutput();
      if (reason !== STOP.output) return reason;
    }
  }

  drainOutput(): void {
    const len = this.exports.consoleOutputLength();
    if (len === 0) return;
    const bytes = new Uint8Array(this.exports.memory.buffer, this.exports.consoleOutputPtr(), len);
    for (const b of bytes) this.output.push(b);
    this.exports.consoleOutputClear();
  }

  consoleText(): string { return String.fromCharCode(...this.output); }

  x(i: number): bigint { return u64(this.exports.getX(i)); }
  csr(num: number): bigint { return u64(this.exports.debugReadCsr(num)); }
  pc(): bigint { return u64(this.exports.getPc()); }
  tick(): bigint { return u64(this.exports.getTick()); }
  hash(): bigint { return u64(this.exports.stateHash()); }

  /** A copy of the machine state (saveState). */
  save(): Uint8Array {
    const len = this.exports.saveState();
    return new Uint8Array(this.exports.memory.buffer, this.exports.stateBufferPtr(), len).slice();
  }

  /** Restores a state from save() taken on a machine with the same RAM size; RAM is copied separately. */
  load(state: Uint8Array, ram: Uint8Array): void {
    new Uint8Array(this.exports.memory.buffer, this.exports.stateBufferPtr(), state.length).set(state);
    const failed = this.exports.loadState(state.length);
    if (failed !== 0) throw new Error(`loadState failed: ${failed}`);
    this.ram().set(ram);
  }
}

export const isaElfPath = (name: string): string => fileURLToPath(new URL(`./isa/elf/${name}.elf`, import.meta.url));

export interface ProgramResult {
  reason: number;
  /** sifive_test exit code: 0 = pass, else the failing test number. */
  code: number;
  ticks: bigint;
  output: string;
  machine: Machine;
}

/** Runs an ISA test program (wasm/test/isa/elf/<name>.elf) to poweroff or the tick budget. */
export function runIsaProgram(name: string, maxTicks = 5_000_000n, ramBytes = 8 << 20): ProgramResult {
  const machine = new Machine(ramBytes);
  machine.loadElf(readFileSync(isaElfPath(name)));
  const reason = machine.run(maxTicks);
  return { reason, code: machine.exports.powerOffCode(), ticks: machine.tick(), output: machine.consoleText(), machine };
}

/** Deterministic PRNG (xorshift64*) for generated programs and random words. */
export class Prng {
  private s: bigint;
  constructor(seed: bigint) { this.s = u64(seed) || 1n; }
  next64(): bigint {
    let x = this.s;
    x ^= x >> 12n; x ^= u64(x << 25n); x ^= x >> 27n;
    this.s = x;
    return u64(x * 0x2545f4914f6cdd1dn);
  }
  next32(): number { return Number(this.next64() >> 32n); }
  below(n: number): number { return this.next32() % n; }
}
