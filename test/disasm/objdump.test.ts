// The disassembler (src/analysis/disasm) against GNU objdump, line by line:
// the default kernel Image (every byte of it, as `objdump -D -b binary`
// decodes it, data included), the demo ELF programs of the initrd (their
// code sections, as `objdump -d`), and a synthetic sweep (every 16-bit
// word, every 32-bit opcode/funct combination, every CSR, random bytes).
// objdump runs at test time; without it these tests skip, except under
// CI=true, where they fail. test/disasm/sample.expect keeps a sample of
// objdump's output so that sample.test.ts checks the disassembler without
// objdump; PRNR_ACCEPT=1 rewrites it from objdump here.
//
// Normalisation (all of it): objdump's listing is read as one (address,
// bytes, text) per instruction line, where
// - bytes: the second column with the runs of spaces between its chunks
//   made one space, and the bytes objdump continues on a second line (for
//   instructions longer than 8 bytes) joined to the first;
// - text: the rest of the line, trailing whitespace dropped;
// - lines that are not instructions are ignored: the file and section
//   headers, "<label>:" lines, and "..." (objdump elides runs of zeros).
// Every instruction line objdump prints must equal ours at that address,
// byte column and text: pseudo-instructions, register and CSR names,
// rounding modes and the "# 0x..." address annotations as printed. No
// symbol tags occur: the raw Image has no symbols and the demos are stripped.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Disassembler, PRIV_SPECS } from '../../src/analysis/disasm/index.ts';
import {
  compare, compareRaw, elfCodeSections, elfPrivSpec, objdump, objdumpVersion, parseObjdump, readCpio, type Comparison,
} from './objdump.ts';
import { sweepBytes } from './sweep.ts';
import { SAMPLE_PATH, sampleFromListing } from './sample.ts';

const IMAGES = new URL('../../public/images/default/', import.meta.url);
const KERNEL_VMA = 0xffffffff80000000n;
const version = objdumpVersion();

/** Bytes from _start to __init_text_end (System.map): the kernel's code, head, text and init text. */
function kernelTextBytes(): number {
  const symbols = gunzipSync(readFileSync(new URL('System.map.gz', IMAGES))).toString();
  return Number(BigInt(`0x${/^([0-9a-f]+) \w __init_text_end$/m.exec(symbols)![1]}`) - KERNEL_VMA);
}
const required = process.env.CI === 'true';

/** Fail with the first differences, so a report names them. */
function expectNoMismatch(what: string, result: Comparison): void {
  const shown = result.mismatches.slice(0, 20).map((m) => `  0x${m.address.toString(16)}\n    objdump: ${m.objdump}\n    ours:    ${m.ours}`);
  console.log(`${what}: ${result.compared} instructions compared with objdump, ${result.mismatches.length} differ`);
  expect(result.mismatches.length, `${what}: ${result.mismatches.length} of ${result.compared} differ from objdump:\n${shown.join('\n')}`).toBe(0);
  expect(result.compared).toBeGreaterThan(0);
}

describe.runIf(version !== undefined || required)('disassembly equals GNU objdump', () => {
  let dir: string;
  beforeAll(() => {
    expect(version, `${required ? 'CI=true: ' : ''}riscv64-linux-gnu-objdump is required (apt-get install binutils-riscv64-linux-gnu)`).toBeDefined();
    console.log(`comparing with ${version}`);
    dir = mkdtempSync(join(tmpdir(), 'prnr-disasm-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every instruction of the default kernel Image', () => {
    const image = gunzipSync(readFileSync(new URL('Image.gz', IMAGES)));
    const file = join(dir, 'Image');
    writeFileSync(file, image);
    const lines = parseObjdump(objdump(['-D', '-b', 'binary', '-m', 'riscv:rv64', `--adjust-vma=0x${KERNEL_VMA.toString(16)}`, file]));
    const textEnd = KERNEL_VMA + BigInt(kernelTextBytes());
    console.log(`kernel: ${lines.filter((l) => l.address < textEnd).length} lines in the text (_start to __init_text_end), the rest data that objdump -D decodes too`);
    expectNoMismatch('kernel Image', compare(lines, new Disassembler().instructions(image, KERNEL_VMA)));
  });

  it('disassembles the kernel text well under a few seconds', () => {
    const text = gunzipSync(readFileSync(new URL('Image.gz', IMAGES))).subarray(0, kernelTextBytes());
    const start = performance.now();
    let count = 0;
    for (const insn of new Disassembler().instructions(text, KERNEL_VMA)) count += insn.text.length > 0 ? 1 : 0;
    const ms = performance.now() - start;
    console.log(`kernel text: ${count} instructions in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(3000);
  });

  it('every instruction of the demo programs', () => {
    const initrd = readCpio(gunzipSync(readFileSync(new URL('initrd.cpio.gz', IMAGES))));
    const demos = [...initrd].filter(([path]) => path.startsWith('demo/'));
    expect(demos.length).toBeGreaterThan(0);
    for (const [path, elf] of demos) {
      const file = join(dir, path.replace('/', '-'));
      writeFileSync(file, elf);
      // One disassembler for all sections: objdump keeps its address state across them too.
      const dis = new Disassembler({ privSpec: elfPrivSpec(elf) });
      const ours = elfCodeSections(elf).flatMap((s) => dis.disassemble(s.bytes, s.address));
      expectNoMismatch(path, compare(parseObjdump(objdump(['-d', file])), ours));
    }
  });

  it('every 16-bit word, every 32-bit opcode and funct combination, every CSR, random bytes', () => {
    const bytes = sweepBytes();
    const file = join(dir, 'sweep.bin');
    writeFileSync(file, bytes);
    expectNoMismatch('sweep', compareRaw(file, bytes, 0n));
  });

  it.each(PRIV_SPECS)('every CSR name under privileged spec %s', (privSpec) => {
    // csrrs a0, csr, a1 for every CSR number: objdump -M priv-spec= picks the names as an ELF attribute would.
    const bytes = new Uint8Array(4096 * 4);
    const view = new DataView(bytes.buffer);
    for (let csr = 0; csr < 4096; csr++) view.setUint32(csr * 4, ((csr << 20) | (11 << 15) | (2 << 12) | (10 << 7) | 0x73) >>> 0, true);
    const file = join(dir, `csr-${privSpec}.bin`);
    writeFileSync(file, bytes);
    const lines = parseObjdump(objdump(['-D', '-b', 'binary', '-m', 'riscv:rv64', `-M`, `priv-spec=${privSpec}`, file]));
    expectNoMismatch(`CSRs, priv spec ${privSpec}`, compare(lines, new Disassembler({ privSpec }).instructions(bytes, 0n)));
  });

  it('test/disasm/sample.expect is what objdump prints for its bytes', () => {
    const sweep = join(dir, 'sweep.bin');
    writeFileSync(sweep, sweepBytes());
    const sample = sampleFromListing(parseObjdump(objdump(['-D', '-b', 'binary', '-m', 'riscv:rv64', sweep])));
    const file = join(dir, 'sample.bin');
    writeFileSync(file, sample);
    const listing = objdump(['-D', '-b', 'binary', '-m', 'riscv:rv64', file]);
    const expected = `${parseObjdump(listing).map((l) => `${l.address.toString(16)}:\t${l.hex}\t${l.text}`).join('\n')}\n`;
    if (process.env.PRNR_ACCEPT === '1') writeFileSync(SAMPLE_PATH, expected);
    expect(readFileSync(SAMPLE_PATH, 'utf8'), 'sample.expect is stale: rerun with PRNR_ACCEPT=1 after reviewing the change').toBe(expected);
  });
});
