// Code around an address as a listing, objdump style: a `<symbol>:` line where
// a symbol starts (`<symbol+0x..>:` where the listing starts inside one), then one line per
// instruction, "address:  bytes  mnemonic operands". The bytes read before pc
// may start mid-instruction (RVC mixes 2- and 4-byte instructions), so the
// listing starts at the earliest 2-byte boundary whose instructions land
// exactly on pc. Used by the app's disassembly panel and `prnr seek --disasm`.
import { Disassembler, objdumpHex, type Instruction, type SymbolRef } from './disasm';
import type { KernelSymbols } from './symbols/system-map';

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

const PAGE = 0x1000n;

/** The bytes to read for a listing around pc: up to 64 before and 96 after, within pc's page (the one page known to be mapped). */
export function codeWindow(pc: bigint): { base: bigint; length: number } {
  const page = pc & ~(PAGE - 1n);
  const base = pc - 64n < page ? page : pc - 64n;
  const end = pc + 96n > page + PAGE ? page + PAGE : pc + 96n;
  return { base, length: Number(end - base) };
}

export type Symbolizer = (address: bigint) => SymbolRef | undefined;

/** The disassembler's symbolizer over a kernel's System.map (./symbols/system-map.ts). */
export function kernelSymbolizer(symbols: KernelSymbols): Symbolizer {
  return (address) => {
    const at = symbols.lookup(address);
    return at && { name: at.name, address: address - at.offset };
  };
}

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
    // An instruction the bytes end inside of (bits 1:0 = 11: 32 bits) is left out.
    const needs = (insn.bytes[0]! & 3) === 3 ? 4 : 2;
    if (Number(insn.address - base) + needs > bytes.length) break;
    const sym = symbolize?.(insn.address);
    if (sym && sym.name !== symbol) {
      symbol = sym.name;
      const offset = insn.address - sym.address;
      lines.push({ address: insn.address, text: `${insn.address.toString(16).padStart(16, '0')} <${sym.name}${offset > 0n ? `+0x${offset.toString(16)}` : ''}>:`, label: true, atPc: false });
    }
    const here = insn.address === pc;
    if (here) atPc = insn;
    lines.push({ address: insn.address, text: `${insn.address.toString(16).padStart(16, '0')}:  ${objdumpHex(insn).padEnd(9)}  ${instructionText(insn)}`, label: false, atPc: here, instruction: insn });
  }
  return { lines, atPc };
}
