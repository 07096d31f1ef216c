// test/disasm/sample.expect: objdump's listing of a sample of the sweep
// (the first few instructions of every form objdump prints for it: each
// mnemonic by operand count, rounding mode or fence set, annotation), one
// "address:\tbytes\ttext" line per instruction. objdump.test.ts writes it
// (PRNR_ACCEPT=1) and checks it is current; sample.test.ts checks the
// disassembler against it where objdump is not installed.
import { fileURLToPath } from 'node:url';
import type { ObjdumpLine } from './objdump.ts';

export const SAMPLE_PATH = fileURLToPath(new URL('sample.expect', import.meta.url));
const PER_MNEMONIC = 3;

/** The bytes of an objdump bytes column: little-endian chunks of 2 or 4 bytes. */
export function bytesOfHex(hex: string): number[] {
  return hex.split(' ').flatMap((chunk) => chunk.match(/../g)!.reverse().map((b) => parseInt(b, 16)));
}

const MODES = /^(rne|rtz|rdn|rup|rmm|dyn|unknown|[iorw]+)$/;

/** What sets a line's form apart: mnemonic, operand count, a rounding mode or fence set, an annotation. */
function formOf(text: string): string {
  const [mnemonic, operands = ''] = text.split(' # ')[0].split('\t');
  const list = operands ? operands.split(',') : [];
  const last = list.at(-1) ?? '';
  return `${mnemonic}/${list.length}/${MODES.test(last) ? last : ''}/${text.includes(' # ')}`;
}

/** The bytes of the first PER_MNEMONIC instructions of each form in `lines`, concatenated. */
export function sampleFromListing(lines: ObjdumpLine[]): Uint8Array {
  const seen = new Map<string, number>();
  const out: number[] = [];
  for (const line of lines) {
    const form = formOf(line.text);
    const n = seen.get(form) ?? 0;
    if (n >= PER_MNEMONIC) continue;
    seen.set(form, n + 1);
    out.push(...bytesOfHex(line.hex));
  }
  return new Uint8Array(out);
}

/** sample.expect read back as listing lines. */
export function parseSample(text: string): ObjdumpLine[] {
  return text.trimEnd().split('\n').map((line) => {
    const [address, hex, ...rest] = line.split('\t');
    return { address: BigInt(`0x${address.slice(0, -1)}`), hex, text: rest.join('\t') };
  });
}
