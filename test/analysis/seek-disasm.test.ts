// prnr seek --disasm on a demo recording: the code around pc, as the disassembler prints it, with System.map symbols.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { decode } from '../../src/analysis/disasm';
import { prnr } from '../prnr';

const dir = mkdtempSync(join(tmpdir(), 'prnr-disasm-'));
const file = join(dir, 'first-tour.prnr');
writeFileSync(file, gunzipSync(readFileSync(new URL('../../public/demos/first-tour.prnr.gz', import.meta.url))));

describe('prnr seek --disasm', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the instructions around pc, marks pc, and names the kernel function', async () => {
    const tick = '20000123'; // the kernel is booting: S-mode, in kmem_cache_alloc
    const { code, stdout, stderr } = await prnr(['seek', file, '--tick', tick, '--disasm', '--regs', '--vaddr', '0xffffffff80077924:4']);
    expect(code, stderr).toBe(0);
    const pc = /^pc 0x([0-9a-f]{16})/m.exec(stdout)![1]!;
    expect(pc).toBe('ffffffff80077924');
    const atPc = stdout.split('\n').filter((l) => l.startsWith('=> '));
    expect(atPc).toHaveLength(1);
    // The word at pc, read by --vaddr, decodes to the marked line's instruction.
    const word = /^ffffffff80077924 {2}([0-9a-f ]{11})/m.exec(stdout)![1]!.split(' ').map((b) => parseInt(b, 16));
    const insn = decode(word[0]! | (word[1]! << 8) | (word[2]! << 16) | (word[3]! << 24), BigInt(`0x${pc}`));
    expect(atPc[0]).toMatch(new RegExp(`^=> ${pc}:  [0-9a-f]{4,8} +${insn.mnemonic} +`));
    expect(stdout).toMatch(/^ffffffff[0-9a-f]{8} <kmem_cache_alloc(\+0x[0-9a-f]+)?>:$/m);
    // Every instruction line is one after another: no gaps, no overlaps.
    const lines = stdout.split('\n').filter((l) => /^(=>| {2}) [0-9a-f]{16}:/.test(l));
    expect(lines.length).toBeGreaterThan(20);
    for (let i = 1; i < lines.length; i++) {
      const [a, bytes] = /([0-9a-f]{16}): {2}([0-9a-f]+)/.exec(lines[i - 1]!)!.slice(1);
      const next = BigInt(`0x${/([0-9a-f]{16}):/.exec(lines[i]!)![1]}`);
      expect(next - BigInt(`0x${a}`)).toBe(BigInt(bytes!.length / 2));
    }
  });
});
