// The RV64GC disassembler: bytes in, one record per instruction out, each
// with its text exactly as GNU objdump 2.40 (`riscv64-linux-gnu-objdump -d`)
// prints it: objdump's pseudo-instructions and ABI register names, CSR names,
// absolute branch targets, rounding modes other than dyn, compressed
// instructions as the instruction they expand to, hints as "c.<name>", and
// words no row matches as .2byte/.4byte/.8byte/.byte. Never throws.
import { csrNameFor, type PrivSpec } from './csr-names.ts';
import { instructionLength } from './fields.ts';
import { findOpcode } from './opcodes.ts';
import { printOperands, type AddressState, type PrintContext } from './operands.ts';

/** A symbol for an address: the caller's symbol table (System.map, ELF symbols) answers. */
export interface SymbolRef {
  name: string;
  /** The symbol's own address; the printed offset is the difference. */
  address: bigint;
}

export interface DisasmOptions {
  /** Privileged spec whose CSR names to print (an ELF's Tag_RISCV_priv_spec; default 1.12, objdump's default). */
  privSpec?: PrivSpec;
  /** __global_pointer$, so gp-relative accesses are annotated as objdump does when the ELF has that symbol. */
  gp?: bigint;
  /** Symbol at or before an address, printed as objdump does: `0x... <name+0x10>`. */
  symbolize?: (address: bigint) => SymbolRef | undefined;
}

export interface Instruction {
  address: bigint;
  /** Bytes consumed: 2, 4, 6, 8, 10..22, or fewer for an instruction cut off by the end of the input. */
  length: number;
  /** The instruction's bytes (a view into the input). */
  readonly bytes: Uint8Array;
  /** "add", "c.nop", ".4byte", ... */
  mnemonic: string;
  /** "a1,a1,-1928"; empty when there are none. */
  operands: string;
  /** objdump's annotation after " # ": the address auipc/lui arithmetic or a zero/tp/gp-based access forms. */
  comment?: string;
  /** The whole line as objdump prints it after the bytes: mnemonic, tab, operands, " # " comment. */
  text: string;
  /** Branch or jump target. */
  target?: bigint;
  /** The address in `comment`. */
  ref?: bigint;
  /** False for words no instruction matches (printed as data directives). */
  valid: boolean;
}

/** An Instruction that makes its bytes view only when asked (most callers never do; a view per instruction costs). */
class Decoded implements Instruction {
  comment?: string;
  target?: bigint;
  ref?: bigint;
  constructor(
    private readonly source: Uint8Array,
    private readonly offset: number,
    readonly address: bigint,
    readonly length: number,
    readonly mnemonic: string,
    readonly operands: string,
    readonly text: string,
    readonly valid: boolean,
  ) {}

  get bytes(): Uint8Array {
    return this.source.subarray(this.offset, Math.min(this.offset + this.length, this.source.length));
  }
}

const byteHex = (b: number) => `0x${b.toString(16).padStart(2, '0')}`;
/** Instruction lengths as bigints, so stepping the address allocates once. */
const SMALL = Array.from({ length: 23 }, (_, n) => BigInt(n));
const MAX_U64 = (1n << 64n) - 1n;

/**
 * A disassembler with objdump's running state: the auipc/lui value each
 * register holds until an instruction uses it. Feed it consecutive
 * instructions (as objdump reads a section) for objdump's annotations.
 */
export class Disassembler {
  private readonly state: AddressState;
  private readonly ctx: PrintContext;

  constructor(private readonly options: DisasmOptions = {}) {
    this.state = { hi: new Array<bigint | undefined>(32).fill(undefined), gp: options.gp };
    const spec = options.privSpec ?? '1.12';
    this.ctx = { state: this.state, csrName: (num) => csrNameFor(num, spec), address: (vma) => this.formatAddress(vma) };
  }

  /** Forget the auipc/lui values (objdump starts each run with none). */
  reset(): void {
    this.state.hi.fill(undefined);
  }

  /** An address as objdump prints it: 0x + hex, then ` <symbol+0xoff>` when the symbolizer knows one. */
  formatAddress(vma: bigint): string {
    const text = `0x${vma.toString(16)}`;
    const sym = this.options.symbolize?.(vma);
    if (sym === undefined) return text;
    const off = vma - sym.address;
    return `${text} <${sym.name}${off > 0n ? `+0x${off.toString(16)}` : off < 0n ? `-0x${(-off).toString(16)}` : ''}>`;
  }

  /** Disassemble every instruction of `bytes`, the first at `address`. */
  disassemble(bytes: Uint8Array, address: bigint): Instruction[] {
    return [...this.instructions(bytes, address)];
  }

  /** The instructions of `bytes` one by one, for callers that need not hold them all (a whole kernel is a million). */
  *instructions(bytes: Uint8Array, address: bigint): Generator<Instruction, void, undefined> {
    let pc = BigInt.asUintN(64, address);
    for (let offset = 0; offset < bytes.length; ) {
      const insn = this.decodeAt(bytes, offset, pc);
      yield insn;
      offset += insn.length;
      pc += SMALL[insn.length];
      if (pc > MAX_U64) pc = BigInt.asUintN(64, pc);
    }
  }

  /** The instruction at `bytes[offset]`, which sits at `address`. */
  decodeAt(bytes: Uint8Array, offset: number, address: bigint): Instruction {
    const avail = bytes.length - offset;
    if (avail <= 0) return this.data(bytes, offset, 0, address, 'truncated');
    const low16 = avail >= 2 ? bytes[offset] | (bytes[offset + 1] << 8) : bytes[offset];
    const length = instructionLength(low16);
    if (avail < length) return this.data(bytes, offset, avail, address, 'truncated');
    if (length > 4) return this.data(bytes, offset, length, address, 'long');
    const word = length === 2 ? low16 : (low16 | (bytes[offset + 2] << 16) | (bytes[offset + 3] << 24)) >>> 0;
    const row = findOpcode(word);
    if (row === undefined) return this.data(bytes, offset, length, address, 'unknown');
    const printed = printOperands(row.args, word, address, this.ctx);
    const comment = printed.ref === undefined ? undefined : this.formatAddress(printed.ref);
    const text = printed.text ? (comment ? `${row.name}\t${printed.text} # ${comment}` : `${row.name}\t${printed.text}`) : row.name;
    const insn = new Decoded(bytes, offset, address, length, row.name, printed.text, text, true);
    if (printed.target !== undefined) insn.target = printed.target;
    if (comment !== undefined) {
      insn.comment = comment;
      insn.ref = printed.ref;
    }
    return insn;
  }

  /** Words no row matches: `.2byte`, `.4byte` or `.8byte` with the value, other lengths (and a cut-off tail) byte by byte. */
  private data(bytes: Uint8Array, offset: number, length: number, address: bigint, why: 'unknown' | 'long' | 'truncated'): Instruction {
    const view = bytes.subarray(offset, offset + length);
    let mnemonic: string, operands: string;
    if (why !== 'truncated' && (view.length === 2 || view.length === 4 || view.length === 8)) {
      let value = 0n;
      for (let i = view.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(view[i]);
      mnemonic = `.${view.length}byte`;
      operands = `0x${value.toString(16)}`;
    } else {
      mnemonic = '.byte';
      operands = Array.from(view, byteHex).join(', ');
    }
    return new Decoded(bytes, offset, address, Math.max(length, 1), mnemonic, operands, `${mnemonic}\t${operands}`, false);
  }
}

/** Disassemble `bytes` (the first instruction at `address`) with a fresh objdump state. */
export function disassemble(bytes: Uint8Array, address: bigint, options?: DisasmOptions): Instruction[] {
  return new Disassembler(options).disassemble(bytes, address);
}

/**
 * One 16- or 32-bit instruction word (a 16-bit one in the low half; bits
 * 1:0 = 11 mean 32 bits) at `address`, with no state from earlier ones.
 */
export function decode(word: number, address = 0n, options?: DisasmOptions): Instruction {
  const length = (word & 3) === 3 ? 4 : 2;
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (word >>> (8 * i)) & 0xff;
  return new Disassembler(options).decodeAt(bytes, 0, address);
}

/** The bytes as objdump's second column shows them: little-endian 16-bit chunks, or 32-bit ones when the length is a multiple of 4. */
export function objdumpHex(insn: Pick<Instruction, 'bytes'>): string {
  const { bytes } = insn;
  const chunk = bytes.length % 4 === 0 ? 4 : 2;
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += chunk) {
    let s = '';
    for (let j = Math.min(i + chunk, bytes.length) - 1; j >= i; j--) s += bytes[j].toString(16).padStart(2, '0');
    parts.push(s);
  }
  return parts.join(' ');
}
