// Write watches (wasm/assembly/hooks.ts, HOOK_WRITE) on a hand-assembled
// M-mode program (riscv64-linux-gnu-as -march=rv64ima; mnemonics beside the
// words, each instruction ending at tick = its index + 1): every store, AMO
// and SC overlapping the watched range is an event with its exact tick, pc,
// old and new bytes, a store of the same value included; the state is the
// same as without watches, and HOOK_STOP stops the run right after each.
import { describe, expect, it } from 'vitest';
import { Machine, type HookEvent, type MachineWrite } from './machine';
import { compileMachineModule } from './node/machine-module';
import { errorCode } from '../shared/errors';
import { HOOK_STOP, HOOK_SYSCALL, HOOK_WRITE, RAM_BASE, StopReason } from '../shared/machine-constants';

const STORES = new Uint8Array(new Uint32Array([
  0x800012b7, // 0x00 lui t0, 0x80001
  0x02029293, // 0x04 slli t0, t0, 32
  0x0202d293, // 0x08 srli t0, t0, 32       t0 = 0x80001000, the watched range
  0x00449337, 0x8cd3031b, 0x00e31313, 0x45530313, 0x00c31313, 0x66730313, 0x00c31313, 0x78830313, // li t1, 0x1122334455667788
  0x0062b023, // 0x2c sd t1, 0(t0)          tick 12
  0x0062b023, // 0x30 sd t1, 0(t0)          tick 13: the same value again
  0x0000b3b7, // 0x34 lui t2, 0xb
  0xabb3839b, // 0x38 addiw t2, t2, -1349   t2 = 0xaabb
  0x00729323, // 0x3c sh t2, 6(t0)          tick 16
  0x0072a823, // 0x40 sw t2, 16(t0)         tick 17: the watched page, outside the range
  0x00500e13, // 0x44 li t3, 5
  0x01c2beaf, // 0x48 amoadd.d t4, t3, (t0) tick 19
  0x1002beaf, // 0x4c lr.d t4, (t0)
  0x19c2bf2f, // 0x50 sc.d t5, t3, (t0)     tick 21
  0x00408fb7, 0x0c1f8f9b, 0x011f9f93, 0x283f8f93, 0x011f9f93, 0x708f8f93, // li t6, 0x0102030405060708
  0xfff2be23, // 0x6c sd t6, -4(t0)         tick 28: across the page boundary, byte by byte
  0x11f2b023, // 0x70 sd t6, 256(t0)        tick 29: outside
  0x0000006f, // 0x74 j .
]).buffer);

const WATCHED = RAM_BASE + 0x1000n;
const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));
const write = (tick: bigint, pcOffset: number, paddr: bigint, source: MachineWrite['source'], old: string, next: string): MachineWrite =>
  ({ kind: 'write', tick, pc: RAM_BASE + BigInt(pcOffset), priv: 3, paddr, source, old: hex(old), new: hex(next) });

const EXPECTED: MachineWrite[] = [
  write(12n, 0x2c, WATCHED, 'store', '0000000000000000', '8877665544332211'),
  write(13n, 0x30, WATCHED, 'store', '8877665544332211', '8877665544332211'),
  write(16n, 0x3c, WATCHED + 6n, 'store', '2211', 'bbaa'),
  write(19n, 0x48, WATCHED, 'amo', '887766554433bbaa', '8d7766554433bbaa'),
  write(21n, 0x50, WATCHED, 'amo', '8d7766554433bbaa', '0500000000000000'),
  write(28n, 0x6c, WATCHED, 'store', '05', '04'),
  write(28n, 0x6c, WATCHED + 1n, 'store', '00', '03'),
  write(28n, 0x6c, WATCHED + 2n, 'store', '00', '02'),
  write(28n, 0x6c, WATCHED + 3n, 'store', '00', '01'),
];

async function boot(): Promise<Machine> {
  const machine = await Machine.create(await compileMachineModule());
  machine.boot({ ramBytes: 8 << 20, firmware: STORES, kernel: new Uint8Array(0), cmdline: '', entropySeed: 0n });
  return machine;
}

describe('Machine write watches', () => {
  it('report every store, AMO and SC overlapping a watched range, same values included, at its tick and pc', async () => {
    const machine = await boot();
    machine.setWatches([{ paddr: WATCHED, length: 8 }]);
    machine.setHooks(HOOK_WRITE);
    expect(machine.run(40n)).toBe(StopReason.budget);
    expect(machine.drainHooks()).toEqual(EXPECTED);
  });

  it('change nothing: the state at every tick equals a run without them, and with HOOK_STOP each write ends its run', async () => {
    const plain = await boot();
    const hooked = await boot();
    hooked.setWatches([{ paddr: WATCHED, length: 8 }]);
    hooked.setHooks(HOOK_WRITE | HOOK_STOP);
    const seen: HookEvent[] = [];
    while (hooked.tick < 40n) {
      const reason = hooked.run(40n);
      const events = hooked.drainHooks();
      seen.push(...events);
      if (reason === StopReason.hooks) {
        const last = events[events.length - 1];
        expect(last?.tick).toBe(hooked.tick); // stopped right after the writing instruction
        expect(last?.kind === 'write' && hooked.registers().pc).toBe((last as MachineWrite).pc + 4n);
      }
      plain.run(hooked.tick);
      expect(hooked.stateHash(), `tick ${hooked.tick}`).toBe(plain.stateHash());
    }
    expect(seen).toEqual(EXPECTED);
  });

  it('report nothing without HOOK_WRITE, or once the watches are cleared', async () => {
    const unmasked = await boot();
    unmasked.setWatches([{ paddr: WATCHED, length: 8 }]);
    unmasked.setHooks(HOOK_SYSCALL);
    unmasked.run(40n);
    expect(unmasked.drainHooks()).toEqual([]);
    const cleared = await boot();
    cleared.setHooks(HOOK_WRITE);
    cleared.setWatches([{ paddr: WATCHED, length: 8 }]);
    cleared.run(14n);
    expect(cleared.drainHooks()).toEqual(EXPECTED.slice(0, 2));
    cleared.setWatches([]);
    cleared.run(40n);
    expect(cleared.drainHooks()).toEqual([]);
  });

  it('watch a range the TLB already holds: setting a watch flushes the store TLB', async () => {
    const machine = await boot();
    machine.run(12n); // the first sd filled the store TLB with the watched page
    machine.setWatches([{ paddr: WATCHED + 6n, length: 2 }]);
    machine.setHooks(HOOK_WRITE);
    machine.run(40n);
    expect(machine.drainHooks().map((e) => e.tick)).toEqual([13n, 16n, 19n, 21n]); // 13: the 8-byte sd covers the range
  });

  it('refuse a range outside RAM, an empty one and more ranges than the machine holds', async () => {
    const machine = await boot();
    const code = (ranges: { paddr: bigint; length: number }[]) => { try { machine.setWatches(ranges); return 'ok'; } catch (e) { return errorCode(e); } };
    expect(code([{ paddr: 0x1000n, length: 8 }])).toBe('PHYS_RANGE');
    expect(code([{ paddr: WATCHED, length: 0 }])).toBe('HOOK_WATCH');
    expect(code(Array.from({ length: 17 }, (_, i) => ({ paddr: WATCHED + BigInt(i * 16), length: 8 })))).toBe('HOOK_WATCH');
    expect(code(Array.from({ length: 17 }, (_, i) => ({ paddr: WATCHED + BigInt(i * 8), length: 8 })))).toBe('ok'); // adjacent: one range
  });
});
