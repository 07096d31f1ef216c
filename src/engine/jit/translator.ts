// The JIT's translator (docs/design.md section 2, The JIT): guest RV64IMC
// integer code of one 4 KiB page, from one entry pc, to one wasm function
// `(endTick: i64, entryBlock: i32) -> i32` that the machine calls through its function table
// (wasm/assembly/jit.ts says what the machine side guarantees).
//
// A function is a region: the basic blocks reached from the entry by direct
// jumps and branches that stay in the page, dispatched by a br_table in a
// loop. Guest registers live in wasm locals (loaded at entry, the written
// ones stored at every exit). Every block first checks that all of it fits
// in the batch's budget (else it returns with the block's pc, for the
// interpreter to finish the batch exactly); a block ends at a jump, a branch,
// the page's end, or an instruction this translator leaves to the
// interpreter (FP, CSR, AMO, system, illegal encodings, a 32-bit instruction
// straddling the page end). Loads and stores check the interpreter's TLB
// inline and call the machine's slow paths (jitLoadSlow, jitStoreSlow) with
// the instruction's exact tick; after a slow access that raised, asked for
// an interrupt check or wrote to translated code, the function returns.
//
// A function serves every block start of its region as an entry (its second
// parameter), so other hot entries of the page reuse it.
//
// Return status: 0 when the code jumped to ctx.pc (the machine looks it up
// again), 1 when the interpreter must go on at ctx.pc.
import { Bytes, Op, I32, I64, VOID } from './wasm-writer';

export interface JitLayout {
  ctx: number;
  xregs: number;
  tlbReadTag: number;
  tlbReadDelta: number;
  tlbWriteTag: number;
  tlbWriteDelta: number;
  rvcTable: number;
}

const CTX_PC = 0;
const CTX_TICK = 8;
const CTX_STATUS = 16;
const CTX_DPRIV = 20;

const MAX_BLOCKS = 64;
const MAX_BLOCK_INSNS = 256;

type Kind = 'alu' | 'load' | 'store' | 'branch' | 'jal' | 'jalr' | 'nop';

interface Insn {
  pc: bigint;
  len: number;
  /** The 32-bit form (compressed instructions expanded through the machine's own RVC table). */
  w: number;
  kind: Kind;
}

interface Block {
  start: bigint;
  insns: Insn[];
  /** Where control goes after the last instruction if it is not a jump or branch (and why it stops there). */
  next: bigint;
  /** 1 if `next` is an instruction left to the interpreter, 0 if it is only outside the region. */
  nextStatus: number;
}

/** The kind of a 32-bit instruction word, or undefined when the interpreter must execute it (exactly its legality checks). */
export function classify(w: number): Kind | undefined {
  const f3 = (w >>> 12) & 7;
  const f7 = w >>> 25;
  switch (w & 0x7f) {
    case 0x37: case 0x17: return 'alu';
    case 0x6f: return 'jal';
    case 0x67: return f3 === 0 ? 'jalr' : undefined;
    case 0x63: return f3 === 2 || f3 === 3 ? undefined : 'branch';
    case 0x03: return f3 === 7 ? undefined : 'load';
    case 0x23: return f3 > 3 ? undefined : 'store';
    case 0x13:
      if (f3 === 1) return w >>> 26 === 0 ? 'alu' : undefined;
      if (f3 === 5) return w >>> 26 === 0 || w >>> 26 === 0x10 ? 'alu' : undefined;
      return 'alu';
    case 0x33:
      if (f7 === 0 || f7 === 1) return 'alu';
      if (f7 === 0x20 && (f3 === 0 || f3 === 5)) return 'alu';
      return undefined;
    case 0x1b:
      if (f3 === 0) return 'alu';
      if (f3 === 1 && f7 === 0) return 'alu';
      if (f3 === 5 && (f7 === 0 || f7 === 0x20)) return 'alu';
      return undefined;
    case 0x3b:
      if (f7 === 0) return f3 === 0 || f3 === 1 || f3 === 5 ? 'alu' : undefined;
      if (f7 === 0x20) return f3 === 0 || f3 === 5 ? 'alu' : undefined;
      if (f7 === 1) return f3 === 0 || f3 >= 4 ? 'alu' : undefined;
      return undefined;
    case 0x0f: return f3 <= 1 ? 'nop' : undefined; // FENCE, FENCE.I: nothing to do (the cache is coherent with stores)
    default: return undefined;
  }
}

const immI = (w: number): bigint => BigInt((w | 0) >> 20);
const immS = (w: number): bigint => BigInt((((w | 0) >> 25) << 5) | ((w >>> 7) & 0x1f));
const immB = (w: number): bigint => BigInt((((w | 0) >> 31) << 12) | (((w >>> 7) & 1) << 11) | (((w >>> 25) & 0x3f) << 5) | (((w >>> 8) & 0xf) << 1));
const immJ = (w: number): bigint => BigInt((((w | 0) >> 31) << 20) | (w & 0xff000) | (((w >>> 20) & 1) << 11) | (((w >>> 21) & 0x3ff) << 1));
const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

/** Decodes the guest code of one page (bytes: the page as the machine holds it). */
class PageDecoder {
  private cache = new Map<number, Insn | null>();
  constructor(private readonly bytes: Uint8Array, private readonly pageHost: number, private readonly vpage: bigint, private readonly rvc: DataView) {}

  at(pc: bigint): Insn | null {
    const off = Number(pc - this.vpage);
    let insn = this.cache.get(off);
    if (insn !== undefined) return insn;
    insn = this.decode(pc, off);
    this.cache.set(off, insn);
    return insn;
  }

  private decode(pc: bigint, off: number): Insn | null {
    const h = this.pageHost + off;
    const low = this.bytes[h]! | (this.bytes[h + 1]! << 8);
    let w: number;
    let len: number;
    if ((low & 3) !== 3) {
      w = this.rvc.getUint32(low * 4, true);
      if (w === 0) return null;
      len = 2;
    } else {
      if (off > 4092) return null; // straddles the page end
      w = (low | (this.bytes[h + 2]! << 16) | (this.bytes[h + 3]! << 24)) >>> 0;
      len = 4;
    }
    const kind = classify(w);
    if (!kind) return null;
    return { pc, len, w, kind };
  }
}

/** Branch and jump targets of a block's last instruction, if it is one. */
function directTargets(insn: Insn): bigint[] {
  if (insn.kind === 'branch') return [u64(insn.pc + immB(insn.w)), u64(insn.pc + BigInt(insn.len))];
  if (insn.kind === 'jal') return [u64(insn.pc + immJ(insn.w))];
  return [];
}

/** The blocks of the region from `entry` (all in the page of `entry`). */
function discover(dec: PageDecoder, entry: bigint, vpage: bigint): Block[] {
  const inPage = (pc: bigint) => (pc & ~0xfffn) === vpage;
  const blocks = new Map<bigint, Block>();
  const work = [entry];
  while (work.length > 0 && blocks.size < MAX_BLOCKS) {
    const start = work.shift()!;
    if (blocks.has(start)) continue;
    const insns: Insn[] = [];
    let pc = start;
    let next = start;
    let nextStatus = 0;
    for (;;) {
      if (!inPage(pc)) { next = pc; nextStatus = 0; break; }
      if (insns.length >= MAX_BLOCK_INSNS) { next = pc; nextStatus = 0; break; }
      const insn = dec.at(pc);
      if (!insn) { next = pc; nextStatus = 1; break; }
      insns.push(insn);
      if (insn.kind === 'branch' || insn.kind === 'jal' || insn.kind === 'jalr') break;
      pc = u64(pc + BigInt(insn.len));
    }
    if (insns.length === 0) {
      if (start === entry) return [];
      continue;
    }
    blocks.set(start, { start, insns, next, nextStatus });
    const last = insns[insns.length - 1]!;
    for (const target of directTargets(last)) if (inPage(target) && !blocks.has(target)) work.push(target);
  }
  // A block that runs into another block's start ends there (falls into it).
  const starts = new Set(blocks.keys());
  for (const block of blocks.values()) {
    for (let i = 1; i < block.insns.length; i++) {
      const pc = block.insns[i]!.pc;
      if (starts.has(pc)) {
        block.insns.length = i;
        block.next = pc;
        block.nextStatus = 0;
        break;
      }
    }
  }
  return [...blocks.values()].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

// Locals: 0 endTick and 1 the entry block (params), 2..32 x1..x31, then these.
const NEXT = 1; // block index for the dispatch (starts as the entry block)
const XBASE = 1; // x[r] is local XBASE + r
const T = 33; // the tick at the current block's start
const EPC = 34; // exit pc
const ST = 35; // exit status
const A = 36; // address
const V = 37; // loaded value
const DP = 38; // data privilege (the TLB tag's low bits)
const S32 = 39; // scratch i32

// Imported helpers.
const F_LOAD = 0;
const F_STORE = 1;
const F_MULH = 2;

type Label = 'done' | 'exit' | 'disp' | 'other';

class FunctionWriter {
  readonly code = new Bytes();
  private labels: Label[] = [];
  readonly used = new Set<number>();
  readonly written = new Set<number>();

  constructor(private readonly layout: JitLayout) {}

  op(o: number): void { this.code.byte(o); }
  open(o: number, type: number, label: Label = 'other'): void {
    this.code.byte(o);
    this.code.byte(type);
    this.labels.push(label);
  }
  else_(): void { this.code.byte(Op.else); }
  end(): void {
    this.code.byte(Op.end);
    this.labels.pop();
  }
  depth(label: Label): number {
    const i = this.labels.lastIndexOf(label);
    if (i < 0) throw new Error(`jit: no label ${label}`);
    return this.labels.length - 1 - i;
  }
  br(label: Label): void {
    this.code.byte(Op.br);
    this.code.u32(this.depth(label));
  }
  get(l: number): void { this.code.byte(Op.local_get); this.code.u32(l); }
  set(l: number): void { this.code.byte(Op.local_set); this.code.u32(l); }
  tee(l: number): void { this.code.byte(Op.local_tee); this.code.u32(l); }
  i64(v: bigint): void { this.code.byte(Op.i64_const); this.code.s64(v); }
  i32(v: number): void { this.code.byte(Op.i32_const); this.code.s32(v); }
  mem(o: number, align: number, offset: number): void { this.code.byte(o); this.code.u32(align); this.code.u32(offset >>> 0); }
  call(f: number): void { this.code.byte(Op.call); this.code.u32(f); }

  /** Pushes x[r]. */
  reg(r: number): void {
    if (r === 0) this.i64(0n);
    else { this.used.add(r); this.get(XBASE + r); }
  }
  /** Pops into x[r] (dropped for x0). */
  setReg(r: number): void {
    if (r === 0) this.op(Op.drop);
    else { this.written.add(r); this.set(XBASE + r); }
  }

  /** Leaves the function: pc, status (the tick is in T unless given). */
  exitAt(pc: bigint, status: number): void {
    this.i64(pc); this.set(EPC);
    this.i32(status); this.set(ST);
    this.br('exit');
  }

  addT(n: number): void {
    this.get(T); this.i64(BigInt(n)); this.op(Op.i64_add); this.set(T);
  }

  /** Pushes the tick of instruction k of the block (one-based, as the interpreter publishes it). */
  tickOf(k: number): void {
    this.get(T); this.i64(BigInt(k + 1)); this.op(Op.i64_add);
  }

  /** The TLB hit test for A (size bytes) against the tag array `tag`; leaves the slot offset in S32. */
  tlbHit(tag: number, size: number): void {
    this.get(A); this.i64(12n); this.op(Op.i64_shr_u); this.op(Op.i32_wrap_i64);
    this.i32(255); this.op(Op.i32_and); this.i32(3); this.op(Op.i32_shl); this.tee(S32);
    this.mem(Op.i64_load, 3, tag);
    this.get(A); this.i64(12n); this.op(Op.i64_shr_u); this.i64(2n); this.op(Op.i64_shl); this.get(DP); this.op(Op.i64_or);
    this.op(Op.i64_eq);
    if (size > 1) {
      this.get(A); this.i64(0xfffn); this.op(Op.i64_and); this.i64(BigInt(4096 - size)); this.op(Op.i64_le_u);
      this.op(Op.i32_and);
    }
  }

  /** Pushes the host address of A through the TLB delta array `delta` (slot offset in S32). */
  tlbHost(delta: number): void {
    this.get(A); this.op(Op.i32_wrap_i64);
    this.get(S32); this.mem(Op.i64_load, 3, delta); this.op(Op.i32_wrap_i64);
    this.op(Op.i32_add);
  }

  /** After a slow-path call: ctx status to ST; if set, leave (the helper has set ctx pc and tick). */
  private slowStop(): void {
    this.i32(0); this.mem(Op.i32_load, 2, this.layout.ctx + CTX_STATUS); this.tee(ST);
    this.code.byte(Op.br_if); this.code.u32(this.depth('done'));
  }

  /** Pushes the slow-path helpers' trailing arguments: tick, pc and length of instruction k. */
  private slowArgs(insn: Insn, k: number): void {
    this.tickOf(k); this.i64(insn.pc); this.i32(insn.len);
  }

  load(insn: Insn, k: number): void {
    const w = insn.w;
    const rd = (w >>> 7) & 31;
    const rs1 = (w >>> 15) & 31;
    const f3 = (w >>> 12) & 7;
    const size = 1 << (f3 & 3);
    this.reg(rs1); this.i64(immI(w)); this.op(Op.i64_add); this.set(A);
    this.tlbHit(this.layout.tlbReadTag, size);
    this.open(Op.if, I64);
    this.tlbHost(this.layout.tlbReadDelta);
    const ops = [Op.i64_load8_s, Op.i64_load16_s, Op.i64_load32_s, Op.i64_load, Op.i64_load8_u, Op.i64_load16_u, Op.i64_load32_u];
    this.mem(ops[f3]!, 0, 0);
    this.else_();
    this.get(A); this.i32(size); this.slowArgs(insn, k); this.call(F_LOAD);
    if (f3 === 0) this.op(Op.i64_extend8_s);
    else if (f3 === 1) this.op(Op.i64_extend16_s);
    else if (f3 === 2) this.op(Op.i64_extend32_s);
    if (rd !== 0) {
      // The value, unless the load raised (status 1): then rd keeps its old value.
      this.set(V);
      this.reg(rd); this.get(V);
      this.i32(0); this.mem(Op.i32_load, 2, this.layout.ctx + CTX_STATUS); this.i32(1); this.op(Op.i32_eq);
      this.op(Op.select);
      this.tee(XBASE + rd); this.written.add(rd);
    }
    this.slowStop();
    this.end();
    this.setReg(rd);
  }

  store(insn: Insn, k: number): void {
    const w = insn.w;
    const rs1 = (w >>> 15) & 31;
    const rs2 = (w >>> 20) & 31;
    const f3 = (w >>> 12) & 7;
    const size = 1 << f3;
    this.reg(rs1); this.i64(immS(w)); this.op(Op.i64_add); this.set(A);
    this.tlbHit(this.layout.tlbWriteTag, size);
    this.open(Op.if, VOID);
    this.tlbHost(this.layout.tlbWriteDelta);
    this.reg(rs2);
    this.mem([Op.i64_store8, Op.i64_store16, Op.i64_store32, Op.i64_store][f3]!, 0, 0);
    this.else_();
    this.get(A); this.reg(rs2); this.i32(size); this.slowArgs(insn, k); this.call(F_STORE);
    this.slowStop();
    this.end();
  }

  /** An ALU instruction (classify said 'alu'). */
  alu(insn: Insn): void {
    const w = insn.w;
    const rd = (w >>> 7) & 31;
    const rs1 = (w >>> 15) & 31;
    const rs2 = (w >>> 20) & 31;
    const f3 = (w >>> 12) & 7;
    const f7 = w >>> 25;
    if (rd === 0) return; // no effect (none of these can trap)
    const a = () => this.reg(rs1);
    const b = () => this.reg(rs2);
    const bin = (o: number, rhs: () => void) => { a(); rhs(); this.op(o); };
    const imm = () => this.i64(immI(w));
    switch (w & 0x7f) {
      case 0x37: this.i64(BigInt(w & 0xfffff000 | 0)); break;
      case 0x17: this.i64(u64(insn.pc + BigInt(w & 0xfffff000 | 0))); break;
      case 0x13: {
        const shamt = BigInt((w >>> 20) & 63);
        switch (f3) {
          case 0: bin(Op.i64_add, imm); break;
          case 1: a(); this.i64(shamt); this.op(Op.i64_shl); break;
          case 2: bin(Op.i64_lt_s, imm); this.op(Op.i64_extend_i32_u); break;
          case 3: bin(Op.i64_lt_u, imm); this.op(Op.i64_extend_i32_u); break;
          case 4: bin(Op.i64_xor, imm); break;
          case 5: a(); this.i64(shamt); this.op(w >>> 26 === 0 ? Op.i64_shr_u : Op.i64_shr_s); break;
          case 6: bin(Op.i64_or, imm); break;
          default: bin(Op.i64_and, imm); break;
        }
        break;
      }
      case 0x33:
        if (f7 === 0) {
          const ops = [Op.i64_add, Op.i64_shl, Op.i64_lt_s, Op.i64_lt_u, Op.i64_xor, Op.i64_shr_u, Op.i64_or, Op.i64_and];
          bin(ops[f3]!, b);
          if (f3 === 2 || f3 === 3) this.op(Op.i64_extend_i32_u);
        } else if (f7 === 0x20) {
          bin(f3 === 0 ? Op.i64_sub : Op.i64_shr_s, b);
        } else {
          this.mulDiv64(f3, a, b);
        }
        break;
      case 0x1b: {
        const shamt = (w >>> 20) & 31;
        if (f3 === 0) { bin(Op.i64_add, imm); this.op(Op.i64_extend32_s); break; }
        a(); this.op(Op.i32_wrap_i64); this.i32(shamt);
        this.op(f3 === 1 ? Op.i32_shl : f7 === 0 ? Op.i32_shr_u : Op.i32_shr_s);
        this.op(Op.i64_extend_i32_s);
        break;
      }
      case 0x3b:
        if (f7 === 0 && f3 === 0) { bin(Op.i64_add, b); this.op(Op.i64_extend32_s); }
        else if (f7 === 0x20 && f3 === 0) { bin(Op.i64_sub, b); this.op(Op.i64_extend32_s); }
        else if (f7 === 1 && f3 === 0) { bin(Op.i64_mul, b); this.op(Op.i64_extend32_s); }
        else if (f7 === 1) this.divW(f3, a, b);
        else {
          a(); this.op(Op.i32_wrap_i64); b(); this.op(Op.i32_wrap_i64);
          this.op(f3 === 1 ? Op.i32_shl : f7 === 0 ? Op.i32_shr_u : Op.i32_shr_s);
          this.op(Op.i64_extend_i32_s);
        }
        break;
      default: throw new Error(`jit: not an ALU instruction 0x${w.toString(16)}`);
    }
    this.setReg(rd);
  }

  /** M extension, 64-bit: the results of Unprivileged spec table 7.1 for division by zero and overflow. */
  private mulDiv64(f3: number, a: () => void, b: () => void): void {
    const MIN = -0x8000_0000_0000_0000n;
    switch (f3) {
      case 0: a(); b(); this.op(Op.i64_mul); return;
      case 1: case 2: case 3: a(); b(); this.i32(f3); this.call(F_MULH); return;
      case 4: // DIV
        b(); this.op(Op.i64_eqz);
        this.open(Op.if, I64); this.i64(-1n);
        this.else_();
        a(); this.i64(MIN); this.op(Op.i64_eq); b(); this.i64(-1n); this.op(Op.i64_eq); this.op(Op.i32_and);
        this.open(Op.if, I64); this.i64(MIN); this.else_(); a(); b(); this.op(Op.i64_div_s); this.end();
        this.end();
        return;
      case 5: // DIVU
        b(); this.op(Op.i64_eqz);
        this.open(Op.if, I64); this.i64(-1n); this.else_(); a(); b(); this.op(Op.i64_div_u); this.end();
        return;
      case 6: // REM (wasm's rem_s gives 0 for MIN % -1, as RISC-V does)
        b(); this.op(Op.i64_eqz);
        this.open(Op.if, I64); a(); this.else_(); a(); b(); this.op(Op.i64_rem_s); this.end();
        return;
      default: // REMU
        b(); this.op(Op.i64_eqz);
        this.open(Op.if, I64); a(); this.else_(); a(); b(); this.op(Op.i64_rem_u); this.end();
    }
  }

  /** DIVW, DIVUW, REMW, REMUW (f3 4..7). */
  private divW(f3: number, a: () => void, b: () => void): void {
    const a32 = () => { a(); this.op(Op.i32_wrap_i64); };
    const b32 = () => { b(); this.op(Op.i32_wrap_i64); };
    b32(); this.op(Op.i32_eqz);
    this.open(Op.if, I64);
    if (f3 === 4 || f3 === 5) this.i64(-1n);
    else { a32(); this.op(Op.i64_extend_i32_s); }
    this.else_();
    if (f3 === 4) {
      a32(); this.i32(-0x8000_0000); this.op(Op.i32_eq); b32(); this.i32(-1); this.op(Op.i32_eq); this.op(Op.i32_and);
      this.open(Op.if, I64); this.i64(-0x8000_0000n); this.else_(); a32(); b32(); this.op(Op.i32_div_s); this.op(Op.i64_extend_i32_s); this.end();
    } else {
      a32(); b32(); this.op(f3 === 5 ? Op.i32_div_u : f3 === 6 ? Op.i32_rem_s : Op.i32_rem_u); this.op(Op.i64_extend_i32_s);
    }
    this.end();
  }

  /** The condition of a branch, as an i32. */
  branchCond(w: number): void {
    const rs1 = (w >>> 15) & 31;
    const rs2 = (w >>> 20) & 31;
    const f3 = (w >>> 12) & 7;
    this.reg(rs1); this.reg(rs2);
    this.op([Op.i64_eq, Op.i64_ne, 0, 0, Op.i64_lt_s, Op.i64_ge_s, Op.i64_lt_u, Op.i64_ge_u][f3]!);
  }
}

/** One translated function: the module's bytes and what it holds. */
export interface Translation {
  bytes: Uint8Array<ArrayBuffer>;
  /** The function's block starts and their indices (its second parameter): every entry it serves. */
  starts: Map<bigint, number>;
  blocks: number;
  instructions: number;
}

/**
 * Translates the region at virtual `entry` whose host address is `host` in
 * `memory` (the machine's linear memory); undefined if its first instruction
 * is left to the interpreter.
 */
export function translate(memory: Uint8Array, layout: JitLayout, entry: bigint, host: number): Translation | undefined {
  const vpage = entry & ~0xfffn;
  const pageHost = host - Number(entry & 0xfffn);
  const rvc = new DataView(memory.buffer, memory.byteOffset + layout.rvcTable, 65536 * 4);
  const dec = new PageDecoder(memory, pageHost, vpage, rvc);
  const blocks = discover(dec, entry, vpage);
  if (blocks.length === 0) return undefined;
  const index = new Map(blocks.map((b, i) => [b.start, i]));
  const f = new FunctionWriter(layout);
  let instructions = 0;

  f.open(Op.block, VOID, 'done');
  f.open(Op.block, VOID, 'exit');
  f.open(Op.loop, VOID, 'disp');
  for (let i = blocks.length - 1; i >= 0; i--) f.open(Op.block, VOID);
  f.get(NEXT);
  f.code.byte(Op.br_table);
  f.code.u32(blocks.length);
  for (let i = 0; i < blocks.length; i++) f.code.u32(i);
  f.code.u32(blocks.length - 1);

  blocks.forEach((block, bi) => {
    f.end(); // the code of block bi follows the end of its wasm block
    const n = block.insns.length;
    instructions += n;
    /** Continues at pc after this block: the next block in order falls through, others by dispatch or exit. */
    const goto = (pc: bigint, exitStatus: number, mayFall: boolean) => {
      const target = index.get(pc);
      if (target === undefined) { f.exitAt(pc, exitStatus); return; }
      if (mayFall && target === bi + 1) return;
      f.i32(target); f.set(NEXT); f.br('disp');
    };
    // Budget: the whole block must fit.
    f.get(T); f.i64(BigInt(n)); f.op(Op.i64_add); f.get(0); f.op(Op.i64_gt_u);
    f.open(Op.if, VOID); f.exitAt(block.start, 1); f.end();
    for (let k = 0; k < n; k++) {
      const insn = block.insns[k]!;
      const w = insn.w;
      const last = k === n - 1;
      switch (insn.kind) {
        case 'alu': f.alu(insn); break;
        case 'nop': break;
        case 'load': f.load(insn, k); break;
        case 'store': f.store(insn, k); break;
        case 'jal': {
          const rd = (w >>> 7) & 31;
          if (rd !== 0) { f.i64(u64(insn.pc + BigInt(insn.len))); f.setReg(rd); }
          f.addT(n);
          goto(u64(insn.pc + immJ(w)), 0, true);
          break;
        }
        case 'jalr': {
          const rd = (w >>> 7) & 31;
          const rs1 = (w >>> 15) & 31;
          f.reg(rs1); f.i64(immI(w)); f.op(Op.i64_add); f.i64(-2n); f.op(Op.i64_and); f.set(EPC);
          if (rd !== 0) { f.i64(u64(insn.pc + BigInt(insn.len))); f.setReg(rd); }
          f.addT(n);
          f.i32(0); f.set(ST); f.br('exit');
          break;
        }
        case 'branch': {
          f.addT(n);
          f.branchCond(w);
          f.open(Op.if, VOID);
          goto(u64(insn.pc + immB(w)), 0, false);
          f.end();
          goto(u64(insn.pc + BigInt(insn.len)), 0, true);
          break;
        }
      }
      if (last && insn.kind !== 'jal' && insn.kind !== 'jalr' && insn.kind !== 'branch') {
        f.addT(n);
        goto(block.next, block.nextStatus, true);
      }
    }
  });
  f.end(); // loop
  f.end(); // exit block: publish pc and tick (a slow-path stop has: it leaves to 'done')
  f.i32(0); f.get(EPC); f.mem(Op.i64_store, 3, layout.ctx + CTX_PC);
  f.i32(0); f.get(T); f.mem(Op.i64_store, 3, layout.ctx + CTX_TICK);
  f.end(); // done

  // Epilogue: write back, return the status.
  for (const r of [...f.written].sort((x, y) => x - y)) {
    f.i32(0); f.get(XBASE + r); f.mem(Op.i64_store, 3, layout.xregs + r * 8);
  }
  f.get(ST);
  f.op(Op.end);

  // Prologue (written last: it depends on the registers used).
  const pro = new Bytes();
  const regs = new Set([...f.used, ...f.written]);
  const emitLoad = (local: number, op: number, align: number, offset: number) => {
    pro.byte(Op.i32_const); pro.s32(0);
    pro.byte(op); pro.u32(align); pro.u32(offset);
    pro.byte(Op.local_set); pro.u32(local);
  };
  for (const r of [...regs].sort((x, y) => x - y)) emitLoad(XBASE + r, Op.i64_load, 3, layout.xregs + r * 8);
  emitLoad(T, Op.i64_load, 3, layout.ctx + CTX_TICK);
  emitLoad(DP, Op.i64_load32_u, 2, layout.ctx + CTX_DPRIV);

  const body = new Bytes();
  // Locals: x1..x31, T and EPC (i64), ST (i32), A V DP (i64), S32 (i32).
  const groups: Array<[number, number]> = [[33, I64], [1, I32], [3, I64], [1, I32]];
  body.u32(groups.length);
  for (const [count, type] of groups) { body.u32(count); body.byte(type); }
  body.bytes(pro.buf.subarray(0, pro.len));
  body.bytes(f.code.buf.subarray(0, f.code.len));

  return { bytes: moduleBytes(body), starts: index, blocks: blocks.length, instructions };
}

function moduleBytes(body: Bytes): Uint8Array<ArrayBuffer> {
  const m = new Bytes();
  m.bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const types = new Bytes();
  types.u32(4);
  types.bytes([0x60, 2, I64, I32, 1, I32]); // the function: (endTick, entry block) -> status
  types.bytes([0x60, 5, I64, I32, I64, I64, I32, 1, I64]); // jitLoadSlow
  types.bytes([0x60, 6, I64, I64, I32, I64, I64, I32, 0]); // jitStoreSlow
  types.bytes([0x60, 3, I64, I64, I32, 1, I64]); // jitMulh
  m.section(1, types);
  const imports = new Bytes();
  imports.u32(4);
  imports.name('env'); imports.name('memory'); imports.bytes([0x02, 0x00, 0x00]);
  imports.name('env'); imports.name('load'); imports.bytes([0x00, 1]);
  imports.name('env'); imports.name('store'); imports.bytes([0x00, 2]);
  imports.name('env'); imports.name('mulh'); imports.bytes([0x00, 3]);
  m.section(2, imports);
  const funcs = new Bytes();
  funcs.u32(1); funcs.u32(0);
  m.section(3, funcs);
  const exports = new Bytes();
  exports.u32(1); exports.name('f'); exports.byte(0x00); exports.u32(3);
  m.section(7, exports);
  const code = new Bytes();
  code.u32(1); code.u32(body.len); code.bytes(body.buf.subarray(0, body.len));
  m.section(10, code);
  return m.result();
}
