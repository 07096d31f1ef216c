// A/D bits as watched writes (wasm/assembly/mmu.ts translate, hooks.ts): a
// hand-assembled M-mode program (riscv64-linux-gnu-as -march=rv64ima) whose
// loads and stores are translated through Sv39 tables the host wrote (MPRV
// with MPP = S). The hart setting A and D in a leaf PTE that lies in a
// watched range is a write of source 'walk' with the tick and pc of the
// access, the PTE word before and after; with HOOK_STOP it ends its run
// there; a PTE whose bits are already set is not written again. With
// HOOK_STOP_SATP a satp write ends its run too.
import { describe, expect, it } from 'vitest';
import { Machine, type MachineWrite } from './machine';
import { compileMachineModule } from './node/machine-module';
import { HOOK_SATP, HOOK_STOP, HOOK_STOP_SATP, HOOK_WRITE, RAM_BASE } from '../shared/machine-constants';

const PROGRAM = new Uint8Array(new Uint32Array([
  0x000212b7, // 0x00 lui t0, 0x21
  0x8002829b, // 0x04 addiw t0, t0, -2048   t0 = MPRV | MPP=S
  0x3002a073, // 0x08 csrs mstatus, t0
  0xfff0029b, 0x02c29293, 0x00128293, 0x01329293, 0x01028293, // li t0, 0x8000000000080010 (Sv39, root at RAM_BASE + 0x10000)
  0x18029073, // 0x20 csrw satp, t0
  0x12000073, // 0x24 sfence.vma
  0x00001337, // 0x28 lui t1, 0x1             t1 = 0x1000 (PTE_STORE, no A/D)
  0x00002eb7, // 0x2c lui t4, 0x2             t4 = 0x2000 (PTE_LOAD, no A)
  0x04200393, // 0x30 li t2, 66
  0x00733023, // 0x34 sd t2, 0(t1)           tick 14: A and D set
  0x000ebe03, // 0x38 ld t3, 0(t4)           tick 15: A set
  0x00733423, // 0x3c sd t2, 8(t1)           tick 16: A and D already there
  0x0000006f, // 0x40 j .
]).buffer);

const ROOT = RAM_BASE + 0x10000n;
const L1 = RAM_BASE + 0x11000n;
const L0 = RAM_BASE + 0x12000n;
const PTE_V = 1n, PTE_R = 2n, PTE_W = 4n, PTE_A = 0x40n, PTE_D = 0x80n;
const table = (pa: bigint) => ((pa >> 12n) << 10n) | PTE_V;
const leaf = (pa: bigint, flags: bigint) => ((pa >> 12n) << 10n) | flags;
const PTE_STORE = leaf(RAM_BASE + 0x20000n, PTE_V | PTE_R | PTE_W);
const PTE_LOAD = leaf(RAM_BASE + 0x21000n, PTE_V | PTE_R);

const word = (v: bigint) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, v, true);
  return b;
};

async function boot(): Promise<Machine> {
  const machine = await Machine.create(await compileMachineModule());
  machine.boot({ ramBytes: 8 << 20, firmware: PROGRAM, kernel: new Uint8Array(0), cmdline: '', entropySeed: 0n });
  machine.writePhys(Number(ROOT), word(table(L1)));
  machine.writePhys(Number(L1), word(table(L0)));
  machine.writePhys(Number(L0 + 8n), word(PTE_STORE));
  machine.writePhys(Number(L0 + 16n), word(PTE_LOAD));
  return machine;
}

const walk = (tick: bigint, pcOffset: number, paddr: bigint, old: bigint, next: bigint): MachineWrite =>
  ({ kind: 'write', tick, pc: RAM_BASE + BigInt(pcOffset), priv: 3, paddr, source: 'walk', old: word(old), new: word(next) });

describe('the hart\'s A/D updates of a watched PTE', () => {
  it('are writes of source walk, at the access\'s tick and pc, each ending its run with HOOK_STOP', async () => {
    const machine = await boot();
    machine.setWatches([{ paddr: L0, length: 4096 }]);
    machine.setHooks(HOOK_WRITE | HOOK_STOP);
    const seen: MachineWrite[] = [];
    const stops: bigint[] = [];
    while (machine.tick < 40n) {
      machine.run(40n);
      const events = machine.drainHooks();
      for (const e of events) if (e.kind === 'write') seen.push(e);
      if (events.length > 0) stops.push(machine.tick);
    }
    expect(seen).toEqual([
      walk(14n, 0x34, L0 + 8n, PTE_STORE, PTE_STORE | PTE_A | PTE_D),
      walk(15n, 0x38, L0 + 16n, PTE_LOAD, PTE_LOAD | PTE_A),
    ]);
    expect(stops).toEqual([14n, 15n]);
    expect(machine.readPhys(Number(RAM_BASE + 0x20000n), 16)).toEqual(Uint8Array.from([66, 0, 0, 0, 0, 0, 0, 0, 66, 0, 0, 0, 0, 0, 0, 0]));
  });

  it('are not reported when the PTE is not watched, and change nothing', async () => {
    const watched = await boot();
    watched.setWatches([{ paddr: L0 + 8n, length: 8 }]);
    watched.setHooks(HOOK_WRITE);
    const plain = await boot();
    plain.setWatches([{ paddr: L0 + 0x800n, length: 8 }]);
    plain.setHooks(HOOK_WRITE);
    watched.run(40n);
    plain.run(40n);
    expect(watched.drainHooks().map((e) => e.kind === 'write' && e.paddr)).toEqual([L0 + 8n]);
    expect(plain.drainHooks()).toEqual([]);
    expect(watched.readPhys(Number(L0), 24)).toEqual(plain.readPhys(Number(L0), 24));
    expect(watched.registers()).toEqual(plain.registers());
  });

  it('with HOOK_STOP_SATP end a run right after the satp write', async () => {
    const machine = await boot();
    machine.setHooks(HOOK_SATP | HOOK_STOP_SATP);
    machine.run(40n);
    expect(machine.tick).toBe(9n);
    expect(machine.drainHooks()).toEqual([{ kind: 'satp', tick: 9n, old: 0n, new: 0x8000_0000_0008_0010n }]);
    machine.run(40n);
    expect(machine.tick).toBe(40n);
  });
});
