// SiFive test finisher (QEMU hw/misc/sifive_test.c): a 32-bit register at
// offset 0. Low 16 bits select the action, high 16 bits carry an exit code.
//   0x5555 FINISHER_PASS  -> power off, code 0
//   0x3333 FINISHER_FAIL  -> power off, code = value >> 16
//   0x7777 FINISHER_RESET -> reboot
// Linux reaches it through the syscon-poweroff / syscon-reboot DT nodes.
import { Device } from './device';
import { StateWriter, StateReader } from '../serialize';
import { requestStop } from '../state';
import { STOP_POWEROFF, STOP_REBOOT } from '../constants';
import { beginNodeAt, endNode, propU32, propReg, propStr, PHANDLE_TEST } from '../fdt-writer';

export const FINISHER_FAIL: u32 = 0x3333;
export const FINISHER_PASS: u32 = 0x5555;
export const FINISHER_RESET: u32 = 0x7777;

export class SifiveTest extends Device {
  /** Exit code of the last poweroff: 0 for PASS, the code of a FAIL. */
  exitCode: u32 = 0;
  /** Set once the guest asked for poweroff or reboot. */
  finished: bool = false;

  read(offset: u32, size: u32): u64 { return 0; }

  write(offset: u32, value: u64, size: u32): void {
    if (offset != 0) return;
    const v = <u32>value;
    const status = v & 0xffff;
    if (status == FINISHER_PASS) { this.exitCode = 0; this.finished = true; requestStop(STOP_POWEROFF); }
    else if (status == FINISHER_FAIL) { this.exitCode = v >> 16; this.finished = true; requestStop(STOP_POWEROFF); }
    else if (status == FINISHER_RESET) { this.exitCode = 0; this.finished = true; requestStop(STOP_REBOOT); }
  }

  save(w: StateWriter): void {
    w.u32(this.exitCode);
    w.bool(this.finished);
  }

  load(r: StateReader): void {
    this.exitCode = r.u32();
    this.finished = r.bool();
  }

  reset(): void { this.exitCode = 0; this.finished = false; }

  /** A syscon (the /poweroff and /reboot nodes of fdt.ts write FINISHER_* values into it). */
  dtNode(base: u64, size: u64): void {
    beginNodeAt('test', base);
    propU32('phandle', PHANDLE_TEST);
    propReg(base, size);
    propStr('compatible', 'sifive,test1\0sifive,test0\0syscon');
    endNode();
  }
}
export const sifiveTest = new SifiveTest();
