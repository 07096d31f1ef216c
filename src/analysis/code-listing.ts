// Code around an address as a listing, objdump style: a `<symbol>:` line where
// a symbol starts (or where the listing starts inside one), then one line per
// instruction, "address:  bytes  mnemonic operands". The bytes read before pc
// may start mid-instruction (RVC mixes 2- and 4-byte instructions), so the
// listing starts at the earliest 2-byte boundary whose instructions land
// exactly on pc. Used by the app's disassembly panel and `prnr seek --disasm`.
import { Disassembler, objdumpHex, type Instruction, type SymbolRef } from './disasm';

export interface ListingLine {
  /** The instruction's address, or the symbol's for a label line. */
  address: bigint;
  text: string;
  /** A `<symbol>:` line rather than an instruction. */
  label: boolean;
  /** The instruction at pc. */
  atPc: boolean;
  instruction?: Instruction;
}

export interface Listing {
  lines: ListingLine[];
  /** The instruction at pc, if the bytes hold it. */
  atPc?: Instruction;
}

export type Symbolizer = (address: bigint) => SymbolRef | undefined;

/** The offset into `bytes` (read from `base`) from which decoding reaches `pc` exactly: the smallest such, for the most context. */
export function alignedStart(bytes: Uint8Array, base: bigint, pc: bigint): number {
  const target = Number(pc - base);
  if (target <= 0) return 0;
  const disasm = new Disassembler();
  for (let start = target % 2; start < target; start += 2) {
    let at = start;
    while (at < target) at += disasm.decodeAt(bytes, at, base + BigInt(at)).length;
    if (at === target) return start;
  }
  return target;
}

const instructionText = (insn: Instruction) => {
  const [mnemonic, ...rest] = insn.text.split('\t');
  return rest.length ? `${mnemonic!.padEnd(8)} ${rest.join('\t')}` : mnemonic!;
};

/** The listing of `bytes` read at `base`, around `pc`. */
export function listing(bytes: Uint8Array, base: bigint, pc: bigint, symbolize?: Symbolizer): Listing {
  const start = alignedStart(bytes, base, pc);
  const disasm = new Disassembler({ symbolize });
  const lines: ListingLine[] = [];
  let atPc: Instruction | undefined;
  let symbol: string | undefined;
  for (const insn of disasm.instructions(bytes.subarray(start), base + BigInt(start))) {
    if (insn.length < insn.bytes.length || insn.bytes.length < 2) break;
    const sym = symbolize?.(insn.address);
    if (sym && sym.name !== symbol) {
      symbol = sym.name;
      const offset = insn.address - sym.address;
      lines.push({ address: sym.address, text: `${sym.address.toString(16).padStart(16, '0')} <${sym.name}>:${offset > 0n ? ` (from +0x${offset.toString(16)})` : ''}`, label: true, atPc: false });
    }
    const here = insn.address === pc;
    if (here) atPc = insn;
    lines.push({ address: insn.address, text: `${insn.address.toString(16).padStart(16, '0')}:  ${objdumpHex(insn).padEnd(9)}  ${instructionText(insn)}`, label: false, atPc: here, instruction: insn });
  }
  // A cut-off last instruction (fewer bytes than it needs) is left out.
  return { lines, atPc };
}
