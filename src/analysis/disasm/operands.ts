// objdump's operand printer (binutils opcodes/riscv-dis.c print_insn_args),
// letter by letter of a row's args, including the state it keeps to
// annotate address arithmetic: after `auipc a0,X` (or lui / c.lui) the next
// addi, load, store or jalr based on a0 prints the address it forms as
// "# 0x...", and so do accesses based on zero, tp and (when known) gp.
import { ABI_NAMES, FPR_ABI_NAMES } from '../../shared/riscv.ts';
import * as f from './fields.ts';

/** Rounding modes by rm (Unprivileged spec 11.2); 5 and 6 are reserved. */
const ROUNDING = ['rne', 'rtz', 'rdn', 'rup', 'rmm', 'unknown', 'unknown', 'dyn'];
/** FENCE predecessor/successor sets by their 4 bits (i, o, r, w). */
const FENCE_SETS = ['unknown', 'w', 'r', 'rw', 'o', 'ow', 'or', 'orw', 'i', 'iw', 'ir', 'irw', 'io', 'iow', 'ior', 'iorw'];

const X_GP = 3, X_TP = 4, X_SP = 2;
const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;
const u64 = (n: bigint) => BigInt.asUintN(64, n);

/** What persists from one instruction to the next (riscv_private_data). */
export interface AddressState {
  /** Per register, the value auipc/lui last put there that no instruction has used yet. */
  readonly hi: (bigint | undefined)[];
  /** __global_pointer$, when the caller knows it. */
  readonly gp?: bigint;
}

export interface PrintContext {
  readonly state: AddressState;
  readonly csrName: (num: number) => string | undefined;
  readonly address: (vma: bigint) => string;
}

export interface PrintedOperands {
  text: string;
  /** Branch or jump target. */
  target?: bigint;
  /** The address objdump annotates the instruction with. */
  ref?: bigint;
}

/** Print the operands of `word` (at `pc`) by objdump's `args` letters. */
export function printOperands(args: string, word: number, pc: bigint, ctx: PrintContext): PrintedOperands {
  const { state } = ctx;
  const rs1 = f.rs1(word), rd = f.rd(word);
  let out = '';
  let target: bigint | undefined;
  let ref: bigint | undefined;

  // maybe_print_address: note the address a base register and an offset form.
  const maybeAddress = (base: number, offset: number, wide: boolean) => {
    const hi = state.hi[base];
    let addr: bigint;
    if (hi !== undefined) {
      addr = (base !== 0 ? hi : 0n) + BigInt(offset);
      state.hi[base] = undefined;
    } else if (base === X_GP && state.gp !== undefined) addr = state.gp + BigInt(offset);
    else if (base === X_TP || base === 0) addr = BigInt(offset);
    else return;
    ref = u64(wide ? BigInt.asIntN(32, addr) : addr);
  };
  const isAddi = (word & 0x707f) === 0x13, isJalr = (word & 0x707f) === 0x67, isAddiw = (word & 0x707f) === 0x1b;

  for (let i = 0; i < args.length; i++) {
    const c = args[i];
    switch (c) {
      case 'C': {
        const k = args[++i];
        switch (k) {
          case 's': case 'w': out += ABI_NAMES[f.crs1s(word)]; break;
          case 't': case 'x': out += ABI_NAMES[f.crs2s(word)]; break;
          case 'U': out += ABI_NAMES[rd]; break;
          case 'c': out += ABI_NAMES[X_SP]; break;
          case 'V': out += ABI_NAMES[f.crs2(word)]; break;
          case 'o': case 'j':
            if ((word & 0xe003) === 0x0001 && rd !== 0) maybeAddress(rd, f.ciImm(word), false);
            if ((word & 0xe003) === 0x2001 && rd !== 0) maybeAddress(rd, f.ciImm(word), true);
            out += f.ciImm(word);
            break;
          case 'k': out += f.clLwImm(word); break;
          case 'l': out += f.clLdImm(word); break;
          case 'm': out += f.ciLwspImm(word); break;
          case 'n': out += f.ciLdspImm(word); break;
          case 'K': out += f.ciwAddi4spnImm(word); break;
          case 'L': out += f.ciAddi16spImm(word); break;
          case 'M': out += f.cssSwspImm(word); break;
          case 'N': out += f.cssSdspImm(word); break;
          case 'p': target = u64(pc + BigInt(f.cbImm(word))); out += ctx.address(target); break;
          case 'a': target = u64(pc + BigInt(f.cjImm(word))); out += ctx.address(target); break;
          case 'u': out += hex(f.ciImm(word) & 0xfffff); break;
          case '>': out += hex(f.ciImm(word) & 0x3f); break;
          case '<': out += hex(f.ciImm(word) & 0x1f); break;
          case 'T': out += FPR_ABI_NAMES[f.crs2(word)]; break;
          case 'D': out += FPR_ABI_NAMES[f.crs2s(word)]; break;
          default: break; // riscv-dis.c prints nothing for other letters after 'C'.
        }
        break;
      }
      case ',': case '(': case ')': out += c; break;
      case '0': if (i === args.length - 1) out += '0'; break;
      case 's':
        if (isJalr) maybeAddress(rs1, f.iImm(word), false);
        out += ABI_NAMES[rs1];
        break;
      case 't': out += ABI_NAMES[f.rs2(word)]; break;
      case 'u': out += hex((word >>> 12) & 0xfffff); break;
      case 'm': out += ROUNDING[f.rm(word)]; break;
      case 'P': out += FENCE_SETS[f.pred(word)]; break;
      case 'Q': out += FENCE_SETS[f.succ(word)]; break;
      case 'o': // an offset: the address it forms, then as 'j'
      case 'j':
        if (c === 'o') maybeAddress(rs1, f.iImm(word), false);
        if ((isAddi && rs1 !== 0) || isJalr) maybeAddress(rs1, f.iImm(word), false);
        if (isAddiw && rs1 !== 0) maybeAddress(rs1, f.iImm(word), true);
        out += f.iImm(word);
        break;
      case 'q':
        maybeAddress(rs1, f.sImm(word), false);
        out += f.sImm(word);
        break;
      case 'a': target = u64(pc + BigInt(f.jImm(word))); out += ctx.address(target); break;
      case 'p': target = u64(pc + BigInt(f.bImm(word))); out += ctx.address(target); break;
      case 'd':
        if ((word & 0x7f) === 0x17) state.hi[rd] = u64(pc + BigInt(f.uImm(word)));
        else if ((word & 0x7f) === 0x37) state.hi[rd] = u64(BigInt(f.uImm(word)));
        else if ((word & 0xe003) === 0x6001) state.hi[rd] = u64(BigInt(f.ciLuiImm(word)));
        out += ABI_NAMES[rd];
        break;
      case 'z': out += ABI_NAMES[0]; break;
      case '>': out += hex(f.shamt(word)); break;
      case '<': out += hex(f.shamtw(word)); break;
      case 'S': case 'U': out += FPR_ABI_NAMES[rs1]; break;
      case 'T': out += FPR_ABI_NAMES[f.rs2(word)]; break;
      case 'D': out += FPR_ABI_NAMES[rd]; break;
      case 'R': out += FPR_ABI_NAMES[f.rs3(word)]; break;
      case 'E': out += ctx.csrName(f.csr(word)) ?? hex(f.csr(word)); break;
      case 'Z': out += rs1; break;
      default: throw new Error(`disasm: operand letter ${c} in "${args}" has no printer`);
    }
  }
  return { text: out, target, ref };
}
