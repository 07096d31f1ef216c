// The machine as analyses see it during a replay (src/shared/analysis.ts
// MachineView): read-only, registers read once per stop, and memory only
// while the machine is exactly at the event being delivered.
import type { MachineView } from '../../shared/analysis';
import type { Machine, Registers } from '../machine';

export class ReplayView implements MachineView {
  live = false;
  private regs: Registers | undefined;

  constructor(private readonly machine: Machine) {}

  /** Starts delivering the events of one stop: `live` if the machine is at the event. */
  at(live: boolean): this {
    this.live = live;
    this.regs = undefined;
    return this;
  }

  get tick(): bigint {
    return this.machine.tick;
  }

  private registers(): Registers {
    return (this.regs ??= this.machine.registers());
  }

  pc(): bigint {
    return this.registers().pc;
  }

  priv(): number {
    return this.registers().priv;
  }

  x(reg: number): bigint {
    return this.registers().x[reg] ?? 0n;
  }

  csr(num: number): bigint | undefined {
    return this.machine.csr(num);
  }

  readVirt(vaddr: bigint, length: number, satp: bigint): Uint8Array | undefined {
    if (!this.live) return undefined;
    try {
      return this.machine.readVirt(vaddr, length, satp);
    } catch {
      // Unmapped, outside RAM, a bad satp: the analysis prints the pointer, as strace does.
      return undefined;
    }
  }

  readPhys(paddr: bigint, length: number): Uint8Array | undefined {
    if (!this.live) return undefined;
    try {
      return this.machine.readPhys(Number(paddr), length);
    } catch {
      return undefined; // outside RAM
    }
  }
}
