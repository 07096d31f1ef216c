// A/D bits as watched writes (wasm/assembly/mmu.ts translate, hooks.ts):
// hand-assembled programs (riscv64-linux-gnu-as -march=rv64ima) whose
// accesses are translated through Sv39 tables the host wrote. The hart
// setting A and D in a leaf PTE that lies in a watched range is a write of
// source 'walk' with the tick and pc of the access, the PTE word before and
// after; with HOOK_STOP it ends its run right after that instruction; a PTE
// whose bits are already set is not written again. An instruction fetch's
// walk is such an access too, and translated code's loads and stores give
// the interpreter's events. With HOOK_STOP_SATP a satp write ends its run too.
import { describe, expect, it } from 'vitest';
import { Machine, type MachineOptions, type MachineWrite } from './machine';
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

/** Boots `firmware` at RAM_BASE over the tables (VA 0x1000: PTE_STORE, 0x2000: PTE_LOAD), then writes each [paddr, bytes] of `more`. */
async function boot(firmware = PROGRAM, more: [bigint, Uint8Array][] = [], options: MachineOptions = {}): Promise<Machine> {
  const machine = await Machine.create(await compileMachineModule(), options);
  machine.boot({ ramBytes: 8 << 20, firmware, kernel: new Uint8Array(0), cmdline: '', entropySeed: 0n });
  machine.writePhys(Number(ROOT), word(table(L1)));
  machine.writePhys(Number(L1), word(table(L0)));
  machine.writePhys(Number(L0 + 8n), word(PTE_STORE));
  machine.writePhys(Number(L0 + 16n), word(PTE_LOAD));
  for (const [paddr, bytes] of more) machine.writePhys(Number(paddr), bytes);
  return machine;
}

const walk = (tick: bigint, pc: bigint, paddr: bigint, old: bigint, next: bigint, priv = 3): MachineWrite =>
  ({ kind: 'write', tick, pc, priv, paddr, source: 'walk', old: word(old), new: word(next) });

/** Runs to `until` in runs that stop where they must: the walk events, and (tick, pc) after each run that gave events. */
function runWatched(machine: Machine, until: bigint): { seen: MachineWrite[]; stops: [bigint, bigint][] } {
  const seen: MachineWrite[] = [];
  const stops: [bigint, bigint][] = [];
  while (machine.tick < until) {
    machine.run(until);
    const events = machine.drainHooks();
    for (const e of events) if (e.kind === 'write') seen.push(e);
    if (events.length > 0) stops.push([machine.tick, machine.pc]);
  }
  return { seen, stops };
}

describe('the hart\'s A/D updates of a watched PTE', () => {
  it('are writes of source walk, at the access\'s tick and pc, each ending its run with HOOK_STOP', async () => {
    const machine = await boot();
    machine.setWatches([{ paddr: L0, length: 4096 }]);
    machine.setHooks(HOOK_WRITE | HOOK_STOP);
    const { seen, stops } = runWatched(machine, 40n);
    expect(seen).toEqual([
      walk(14n, RAM_BASE + 0x34n, L0 + 8n, PTE_STORE, PTE_STORE | PTE_A | PTE_D),
      walk(15n, RAM_BASE + 0x38n, L0 + 16n, PTE_LOAD, PTE_LOAD | PTE_A),
    ]);
    expect(stops).toEqual([[14n, RAM_BASE + 0x38n], [15n, RAM_BASE + 0x3cn]]); // right after each access
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

// M-mode sets up the same tables, MPP = S and mret to VA 0x3000; there, in S-mode:
const MRET_PROGRAM = new Uint8Array(new Uint32Array([
  0xfff0029b, 0x02c29293, 0x00128293, 0x01329293, 0x01028293, // 0x00 li t0, 0x8000000000080010 (Sv39, root at RAM_BASE + 0x10000)
  0x18029073, // 0x14 csrw satp, t0
  0x12000073, // 0x18 sfence.vma
  0x000012b7, // 0x1c lui t0, 0x1
  0x8002829b, // 0x20 addiw t0, t0, -2048   t0 = MPP=S
  0x3002a073, // 0x24 csrs mstatus, t0
  0x000032b7, // 0x28 lui t0, 0x3
  0x34129073, // 0x2c csrw mepc, t0
  0x30200073, // 0x30 mret                 tick 13
]).buffer);
const CODE_3000 = new Uint8Array(new Uint32Array([
  0x00001337, // 0x3000 lui t1, 0x1        tick 14: its fetch sets A in PTE_CODE_3000
  0x00002eb7, // 0x3004 lui t4, 0x2
  0x04200393, // 0x3008 li t2, 66
  0x0040006f, // 0x300c j 0x3010           the JIT (threshold 1) translates 0x3010..0x301c
  0x000ebe03, // 0x3010 ld t3, 0(t4)       tick 18: A set
  0x00733023, // 0x3014 sd t2, 0(t1)       tick 19: A and D set
  0x00004f37, // 0x3018 lui t5, 0x4
  0x000f0067, // 0x301c jr t5
]).buffer);
const CODE_4000 = new Uint8Array(new Uint32Array([
  0x00700f93, // 0x4000 li t6, 7           tick 22: its fetch sets A in PTE_CODE_4000
  0x001f8f93, // 0x4004 addi t6, t6, 1
  0x0000006f, // 0x4008 j .
]).buffer);
const PTE_X = 8n;
const PTE_CODE_3000 = leaf(RAM_BASE + 0x30000n, PTE_V | PTE_R | PTE_X);
const PTE_CODE_4000 = leaf(RAM_BASE + 0x31000n, PTE_V | PTE_R | PTE_X);
const S_MODE: [bigint, Uint8Array][] = [
  [L0 + 24n, word(PTE_CODE_3000)], [L0 + 32n, word(PTE_CODE_4000)],
  [RAM_BASE + 0x30000n, CODE_3000], [RAM_BASE + 0x31000n, CODE_4000],
];
const S_WALKS = [
  walk(14n, 0x3000n, L0 + 24n, PTE_CODE_3000, PTE_CODE_3000 | PTE_A, 1),
  walk(18n, 0x3010n, L0 + 16n, PTE_LOAD, PTE_LOAD | PTE_A, 1),
  walk(19n, 0x3014n, L0 + 8n, PTE_STORE, PTE_STORE | PTE_A | PTE_D, 1),
  walk(22n, 0x4000n, L0 + 32n, PTE_CODE_4000, PTE_CODE_4000 | PTE_A, 1),
];
/** With HOOK_STOP: right after each walking instruction, a fetch's as a load's or a store's. */
const S_STOPS: [bigint, bigint][] = [[14n, 0x3004n], [18n, 0x3014n], [19n, 0x3018n], [22n, 0x4004n]];

async function sModeMachine(jit: MachineOptions['jit'], hooks: number): Promise<Machine> {
  const machine = await boot(MRET_PROGRAM, S_MODE, { jit });
  machine.setWatches([{ paddr: L0, length: 4096 }]);
  machine.setHooks(hooks);
  return machine;
}

describe('the A bit an instruction fetch sets in a watched PTE', () => {
  it('is a write at the fetching instruction\'s tick and pc, ending its run right after it as a load\'s does', async () => {
    const machine = await sModeMachine(false, HOOK_WRITE | HOOK_STOP);
    const { seen, stops } = runWatched(machine, 40n);
    expect(seen).toEqual(S_WALKS);
    expect(stops).toEqual(S_STOPS);
    expect(machine.x(31)).toBe(8n);
    expect(machine.readPhys(Number(L0 + 8n), 32)).toEqual(Uint8Array.from([
      ...word(PTE_STORE | PTE_A | PTE_D), ...word(PTE_LOAD | PTE_A), ...word(PTE_CODE_3000 | PTE_A), ...word(PTE_CODE_4000 | PTE_A),
    ]));
  });
});

describe('walks of translated code (the JIT at threshold 1)', () => {
  it('give the interpreter\'s events, stops and state, for the loads and stores in translated code and the fetches after', async () => {
    for (const stop of [0, HOOK_STOP]) {
      const interpreter = await sModeMachine(false, HOOK_WRITE | stop);
      const translated = await sModeMachine({ threshold: 1 }, HOOK_WRITE | stop);
      const early = runWatched(translated, 21n); // up to the jr: the ld and the sd ran in translated code (ticks 18..21)
      expect(translated.jitStats().executed).toBe(stop === 0 ? 4 : 1); // with HOOK_STOP the ld's stop ends the translated block
      const late = runWatched(translated, 40n);
      const reference = runWatched(interpreter, 40n);
      expect([...early.seen, ...late.seen]).toEqual(S_WALKS);
      expect(reference.seen).toEqual(S_WALKS);
      if (stop !== 0) {
        expect([...early.stops, ...late.stops]).toEqual(S_STOPS);
        expect(reference.stops).toEqual(S_STOPS);
      }
      expect(translated.stateHash()).toBe(interpreter.stateHash());
      expect(translated.registers()).toEqual(interpreter.registers());
    }
  });
});
