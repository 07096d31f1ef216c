// Save, load and the divergence names agree: every field of the state blob,
// changed in a saved blob, loaded into a fresh machine and saved again, is
// named by diffStateBlobs as exactly that field (STATE_LAYOUT comes from the
// machine's own walk of the blob, wasm/assembly/machine.ts stateFields).
import { describe, expect, it } from 'vitest';
import { Machine } from '../machine';
import { compileMachineModule } from '../node/machine-module';
import { STATE_LAYOUT } from '../../shared/machine-layout';
import { registerName } from '../../shared/riscv';
import { errorCode } from '../../shared/errors';
import { diffStateBlobs } from './state-diff';

/** A few instructions of M-mode code, then a spin: enough to give the state non-zero fields. */
const FIRMWARE = new Uint8Array(new Uint32Array([
  0x00100293, // addi t0, zero, 1
  0x34029073, // csrw mscratch, t0
  0x0000006f, // j .
]).buffer);

async function freshMachine(): Promise<Machine> {
  const machine = await Machine.create(await compileMachineModule());
  machine.boot({ ramBytes: 8 << 20, firmware: FIRMWARE, kernel: new Uint8Array(0), cmdline: 'console=ttyS0', entropySeed: 7n });
  return machine;
}

/** What diffStateBlobs should say for a field called `name` in the CPU section. */
function label(name: string): string {
  const x = /^x(\d+)$/.exec(name);
  if (x) return `register ${registerName(Number(x[1]))}:`;
  return /^f\d+$/.test(name) || name === 'pc' ? `register ${name}:` : `CPU field ${name}:`;
}

describe('state layout: save, load and divergence names from one walk', () => {
  it('names exactly the field that changed, for every fixed field, after a load and a save', async () => {
    const source = await freshMachine();
    source.run(3n);
    const saved = source.saveState();
    let at = 0;
    let inHeader = true;
    let checked = 0;
    const target = await freshMachine(); // every load below replaces its whole state
    for (const entry of STATE_LAYOUT) {
      if (entry.kind === 'device') break;
      const bytes = entry.kind === 'field' ? entry.bytes : 4;
      if (entry.kind === 'tag') {
        inHeader = false;
        at += bytes;
        continue;
      }
      const changed = saved.slice();
      changed[at]! ^= 1;
      if (inHeader) {
        // magic, version and RAM size are checked, not loaded
        expect(() => target.loadState(changed), entry.name).toThrow(expect.objectContaining({ code: 'STATE_INVALID' }));
      } else {
        target.loadState(changed);
        const resaved = target.saveState();
        expect(resaved, entry.name).toEqual(changed);
        expect(diffStateBlobs(saved, resaved), entry.name).toMatch(new RegExp(`^${label(entry.name).replace(/[()]/g, '\\$&')} expected`));
      }
      at += bytes;
      checked++;
    }
    const fields = STATE_LAYOUT.slice(0, STATE_LAYOUT.findIndex((e) => e.kind === 'device')).filter((e) => e.kind === 'field');
    expect(checked).toBe(fields.length);
    expect(fields.map((f) => f.name)).toEqual(expect.arrayContaining(['x0', 'x31', 'f31', 'pc', 'tick', 'satp', 'minstret offset', 'pmp15cfg', 'pmpaddr15']));
  });

  it('names the device whose section changed, for every device, after a load and a save', async () => {
    const source = await freshMachine();
    source.run(3n);
    const saved = source.saveState();
    const sections = STATE_LAYOUT.filter((e, i) => e.kind === 'tag' && STATE_LAYOUT[i + 1]?.kind === 'device');
    expect(sections.map((s) => (s.kind === 'tag' ? s.tag : ''))).toEqual(['TEST', 'CLNT', 'PLIC', 'UART', 'VIO0', 'VIO1', 'VIO2', 'VIO3', 'VIO4', 'VIO5', 'VIO6', 'VIO7']);
    let from = 0;
    const target = await freshMachine();
    for (const section of sections) {
      if (section.kind !== 'tag') continue;
      const tagAt = Buffer.from(saved).indexOf(section.tag, from, 'latin1');
      expect(tagAt, section.tag).toBeGreaterThan(0);
      from = tagAt + 4;
      const changed = saved.slice();
      // A byte of the device's own state: the first, except for the CLINT, whose first field
      // (msip) drives mip.MSIP in the CPU section; its mtimecmp follows.
      const at = tagAt + 4 + (section.tag === 'CLNT' ? 4 : 0);
      changed[at]! ^= 1;
      target.loadState(changed);
      const resaved = target.saveState();
      expect(resaved, section.tag).toEqual(changed);
      expect(diffStateBlobs(saved, resaved)).toBe(`device ${section.name}: state differs at byte ${at} of the state blob`);
    }
  });

  it('refuses a blob whose tag is wrong, naming the section', async () => {
    const source = await freshMachine();
    const saved = source.saveState();
    const changed = saved.slice();
    const uartAt = Buffer.from(saved).indexOf('UART', 0, 'latin1');
    changed[uartAt] = 0x58; // 'X'
    const target = await freshMachine();
    let message = '';
    try {
      target.loadState(changed);
    } catch (err) {
      expect(errorCode(err)).toBe('STATE_INVALID');
      message = (err as Error).message;
    }
    expect(message).toContain('section UART');
  });
});
