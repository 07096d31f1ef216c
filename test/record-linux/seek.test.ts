// prnr seek on a real Linux recording: late in the session the MMU is on
// (satp in Sv39 mode), and every value is unsigned: --vaddr reads kernel text
// through the page tables, the same bytes as --mem at its physical address.
// A screen alone needs no machine, so no image.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../src/engine/node/host';
import { prnr } from '../prnr';

const dir = mkdtempSync(join(tmpdir(), 'prnr-seek-'));
const out = join(dir, 'ls.prnr');
/** The kernel's text: linked at this virtual address, loaded at KERNEL_ADDR (QEMU virt), mapped by Linux's page tables. */
const KERNEL_VA = '0xffffffff80000000';
const KERNEL_PA = '0x80200000';
let lateTick: bigint;

/** The bytes of a hexdump's lines after `title`. */
function dumped(stdout: string, title: RegExp): string {
  const lines = stdout.split('\n');
  const at = lines.findIndex((l) => title.test(l));
  expect(at, `${title} in ${stdout}`).toBeGreaterThanOrEqual(0);
  return lines.slice(at + 1, at + 5).map((l) => l.slice(18, 65)).join(' ');
}

beforeAll(async () => {
  const result = await prnr(['record', '--cmd', 'ls /', '-o', out]);
  expect(result.code, result.stderr).toBe(0);
  const engine = createNodeEngine();
  const info = await engine.openRecording({ path: out });
  lateTick = info.snapshotTicks.at(-2)! + 1000n;
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('prnr seek on a Linux recording', () => {
  it('reads virtual memory through Sv39 late in the session, with every value unsigned', async () => {
    const result = await prnr(['seek', out, '--tick', String(lateTick), '--regs', '--csr', 'satp,sstatus,mcause,minstret', '--vaddr', `${KERNEL_VA}:64`, '--mem', `${KERNEL_PA}:64`]);
    expect(result.code, result.stderr).toBe(0);
    const satp = /^ +satp 0x([0-9a-f]{16})$/m.exec(result.stdout);
    expect(satp, result.stdout).not.toBeNull();
    expect(BigInt(`0x${satp![1]}`) >> 60n).toBe(8n); // Sv39
    expect(result.stdout).toMatch(new RegExp(`^virtual ${KERNEL_VA.replace('0x', '0x0*')} \\+64 \\(satp 0x${satp![1]}\\):$`, 'm'));
    expect(dumped(result.stdout, /^virtual /)).toBe(dumped(result.stdout, /^physical /));
    // Registers and CSRs are 16 hex digits, never signed (kernel addresses have the top bit set).
    expect(result.stdout).not.toMatch(/0x-|-[0-9a-f]{8}/);
    expect(result.stdout).toMatch(/ 0xffffffff[0-9a-f]{8}/);
    expect(result.stdout.match(/x\d+\/\w+ 0x[0-9a-f]{16}/g)).toHaveLength(32);
  });

  it('answers the same through the engine API', async () => {
    const engine = createNodeEngine();
    const { id } = await engine.openRecording({ path: out });
    const virt = await engine.readVirtAt(id, lateTick, BigInt(KERNEL_VA), 64);
    expect(virt.satp! >> 60n).toBe(8n);
    expect(virt.bytes).toEqual((await engine.readPhysAt(id, lateTick, BigInt(KERNEL_PA), 64)).bytes);
    const regs = await engine.registersAt(id, lateTick);
    expect([regs.pc, ...regs.x].every((v) => v >= 0n && v < 1n << 64n)).toBe(true);
    expect(regs.x.some((v) => v >= 1n << 63n)).toBe(true);
  });

  it('draws the screen without the image, and says so when registers need it', async () => {
    const env = { PRNR_IMAGES_DIR: join(dir, 'no-images') };
    const screen = await prnr(['seek', out, '--tick', String(lateTick), '--screen'], { env });
    expect(screen.code, screen.stderr).toBe(0);
    expect(screen.stdout).toMatch(/^screen at tick \d+ \(24x80\):/m);
    const regs = await prnr(['seek', out, '--tick', String(lateTick), '--regs'], { env });
    expect(regs.code).toBe(1);
    expect(regs.stderr).toMatch(/image "default" not found/);
  });
});
