// F and D instruction tests written from the spec (Unprivileged chapters 13, 14):
// rounding modes, flags, NaN boxing, canonical NaNs, conversion limits, fused
// single rounding, illegal encodings. Operands go in f1, f2, f3 (or x6), results
// come from f4 (or x7).
import { beforeEach, describe, expect, it } from 'vitest';
import { loadFpu, u64, type FpuExports } from './fpu-harness';

const NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16;
const RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4, DYN = 7;
const ALL_RM = [RNE, RTZ, RDN, RUP, RMM];

const FMT_S = 0, FMT_D = 1;
const BOX = 0xffffffff00000000n;
const QNAN_S = BOX | 0x7fc00000n;
const QNAN_D = 0x7ff8000000000000n;
const SNAN_D = 0x7ff0000000000001n;
const SNAN_S = BOX | 0x7f800001n;
const INF_D = 0x7ff0000000000000n;
const NEG = 1n << 63n;
const MAX_D = 0x7fefffffffffffffn;
const MIN_NORMAL_D = 0x0010000000000000n;
const ONE_D = 0x3ff0000000000000n;
const ONE_S = BOX | 0x3f800000n;

/** binary64 bits of a JS number (only for values that are exact doubles). */
function d(x: number): bigint {
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, x);
  return b.getBigUint64(0);
}
/** NaN-boxed binary32 bits of a JS number (rounded to single by the host: use exact values only). */
function s(x: number): bigint {
  const b = new DataView(new ArrayBuffer(4));
  b.setFloat32(0, x);
  return BOX | BigInt(b.getUint32(0));
}

// ---- encodings
const rType = (funct5: number, fmt: number, rs2: number, rm: number, rd = 4, rs1 = 1) =>
  ((funct5 << 27) | (fmt << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | 0x53) >>> 0;
const fadd = (fmt: number, rm: number) => rType(0x00, fmt, 2, rm);
const fsub = (fmt: number, rm: number) => rType(0x01, fmt, 2, rm);
const fmul = (fmt: number, rm: number) => rType(0x02, fmt, 2, rm);
const fdiv = (fmt: number, rm: number) => rType(0x03, fmt, 2, rm);
const fsqrt = (fmt: number, rm: number) => rType(0x0b, fmt, 0, rm);
const fsgnj = (fmt: number, op: number) => rType(0x04, fmt, 2, op);
const fminmax = (fmt: number, isMax: number) => rType(0x05, fmt, 2, isMax);
const fcmp = (fmt: number, op: number) => rType(0x14, fmt, 2, op, 7); // 0 LE, 1 LT, 2 EQ
const fcvtToInt = (fmt: number, kind: number, rm: number) => rType(0x18, fmt, kind, rm, 7);
const fcvtFromInt = (fmt: number, kind: number, rm: number) => rType(0x1a, fmt, kind, rm, 4, 6);
const fcvtSD = (rm: number) => rType(0x08, FMT_S, 1, rm);
const fcvtDS = (rm: number) => rType(0x08, FMT_D, 0, rm);
const fmvToX = (fmt: number) => rType(0x1c, fmt, 0, 0, 7);
const fclass = (fmt: number) => rType(0x1c, fmt, 0, 1, 7);
const fmvFromX = (fmt: number) => rType(0x1e, fmt, 0, 0, 4, 6);
const fused = (opcode: number, fmt: number, rm: number) =>
  ((3 << 27) | (fmt << 25) | (2 << 20) | (1 << 15) | (rm << 12) | (4 << 7) | opcode) >>> 0;
const FMADD = 0x43, FMSUB = 0x47, FNMSUB = 0x4b, FNMADD = 0x4f;
const W = 0, WU = 1, L = 2, LU = 3;

let fpu: FpuExports;
beforeEach(() => {
  fpu = loadFpu();
  fpu.fpTestSetFs(1);
});

interface Run { f: bigint; x: bigint; flags: number; legal: boolean }
function run(insn: number, a: bigint, b = 0n, c = 0n, frm = 0): Run {
  fpu.fpTestSetFcsr(frm << 5);
  fpu.fpTestSetF(1, a);
  fpu.fpTestSetF(2, b);
  fpu.fpTestSetF(3, c);
  fpu.fpTestSetX(6, a);
  fpu.fpTestSetF(4, 0x1234n);
  fpu.fpTestSetX(7, 0x1234n);
  const legal = fpu.fpTestExec(insn) !== 0;
  return { f: u64(fpu.fpTestGetF(4)), x: u64(fpu.fpTestGetX(7)), flags: fpu.fpTestGetFcsr() & 0x1f, legal };
}
const f = (insn: number, a: bigint, b = 0n, c = 0n, frm = 0) => {
  const r = run(insn, a, b, c, frm);
  expect(r.legal).toBe(true);
  return [r.f, r.flags] as const;
};
const x = (insn: number, a: bigint, b = 0n, frm = 0) => {
  const r = run(insn, a, b, 0n, frm);
  expect(r.legal).toBe(true);
  return [r.x, r.flags] as const;
};

describe('rounding modes', () => {
  it('rounds a tie 1 + 2^-53 in each mode (fadd.d)', () => {
    const tie = d(2 ** -53);
    const up = ONE_D + 1n;
    expect(f(fadd(FMT_D, RNE), ONE_D, tie)).toEqual([ONE_D, NX]);
    expect(f(fadd(FMT_D, RTZ), ONE_D, tie)).toEqual([ONE_D, NX]);
    expect(f(fadd(FMT_D, RDN), ONE_D, tie)).toEqual([ONE_D, NX]);
    expect(f(fadd(FMT_D, RUP), ONE_D, tie)).toEqual([up, NX]);
    expect(f(fadd(FMT_D, RMM), ONE_D, tie)).toEqual([up, NX]);
    // negative: directed modes swap
    expect(f(fsub(FMT_D, RDN), ONE_D | NEG, tie)).toEqual([up | NEG, NX]);
    expect(f(fsub(FMT_D, RUP), ONE_D | NEG, tie)).toEqual([ONE_D | NEG, NX]);
    expect(f(fsub(FMT_D, RMM), ONE_D | NEG, tie)).toEqual([up | NEG, NX]);
  });

  it('takes the rounding mode from frm when rm is DYN', () => {
    const tie = d(2 ** -53);
    expect(f(fadd(FMT_D, DYN), ONE_D, tie, 0n, RUP)).toEqual([ONE_D + 1n, NX]);
    expect(f(fadd(FMT_D, DYN), ONE_D, tie, 0n, RNE)).toEqual([ONE_D, NX]);
  });

  it('rounds 1/3 in single precision in each mode', () => {
    const below = 0x3eaaaaaan; // RTZ, RDN; the nearest (RNE, RMM) and RUP are one above
    for (const rm of ALL_RM) {
      const want = BOX | (rm === RTZ || rm === RDN ? below : below + 1n);
      expect(f(fdiv(FMT_S, rm), ONE_S, s(3))).toEqual([want, NX]);
    }
  });

  it('gives an exact zero sum +0, or -0 when rounding down', () => {
    for (const rm of ALL_RM) {
      expect(f(fsub(FMT_D, rm), ONE_D, ONE_D)).toEqual([rm === RDN ? NEG : 0n, 0]);
    }
    expect(f(fadd(FMT_D, RNE), NEG, NEG)).toEqual([NEG, 0]);
  });
});

describe('exceptions', () => {
  it('signals DZ for finite / 0 and NV for 0 / 0', () => {
    expect(f(fdiv(FMT_D, RNE), ONE_D | NEG, 0n)).toEqual([INF_D | NEG, DZ]);
    expect(f(fdiv(FMT_D, RNE), 0n, 0n)).toEqual([QNAN_D, NV]);
    expect(f(fdiv(FMT_S, RNE), ONE_S, BOX)).toEqual([BOX | 0x7f800000n, DZ]);
    expect(f(fdiv(FMT_D, RNE), INF_D, 0n)).toEqual([INF_D, 0]); // inf / 0 is exact
  });

  it('overflows to infinity or the largest finite by rounding mode', () => {
    const want: Record<number, bigint> = { [RNE]: INF_D, [RTZ]: MAX_D, [RDN]: MAX_D, [RUP]: INF_D, [RMM]: INF_D };
    for (const rm of ALL_RM) {
      expect(f(fmul(FMT_D, rm), MAX_D, d(2))).toEqual([want[rm], OF | NX]);
      const neg = rm === RDN ? INF_D : rm === RUP ? MAX_D : want[rm];
      expect(f(fmul(FMT_D, rm), MAX_D | NEG, d(2))).toEqual([neg | NEG, OF | NX]);
    }
  });

  it('detects tininess after rounding (UF only when tiny and inexact)', () => {
    // (1 + 2^-27) 2^-1022 * (1 - 2^-27) = (1 - 2^-54) 2^-1022
    const a = MIN_NORMAL_D | (1n << 25n);
    const b = d(1 - 2 ** -27);
    // RNE: with unbounded exponent it rounds to 2^-1022, so it is not tiny
    expect(f(fmul(FMT_D, RNE), a, b)).toEqual([MIN_NORMAL_D, NX]);
    // RTZ: it stays below 2^-1022: tiny and inexact
    expect(f(fmul(FMT_D, RTZ), a, b)).toEqual([MIN_NORMAL_D - 1n, UF | NX]);
    expect(f(fmul(FMT_D, RUP), a, b)).toEqual([MIN_NORMAL_D, NX]);
  });

  it('gives exact subnormal results without UF', () => {
    expect(f(fmul(FMT_D, RNE), MIN_NORMAL_D, d(0.5))).toEqual([MIN_NORMAL_D >> 1n, 0]);
    expect(f(fmul(FMT_D, RNE), 1n, d(0.5))).toEqual([0n, UF | NX]); // half the smallest subnormal: tie to 0
    expect(f(fmul(FMT_D, RUP), 1n, d(0.5))).toEqual([1n, UF | NX]);
    expect(f(fmul(FMT_S, RNE), BOX | 0x00800000n, s(0.5))).toEqual([BOX | 0x00400000n, 0]);
  });

  it('accrues flags: they are ORed into fflags, never cleared', () => {
    fpu.fpTestSetFcsr(DZ);
    fpu.fpTestSetF(1, ONE_D);
    fpu.fpTestSetF(2, d(3));
    expect(fpu.fpTestExec(fdiv(FMT_D, RNE))).toBe(1);
    expect(fpu.fpTestGetFcsr()).toBe(DZ | NX);
  });

  it('marks the FP state dirty on f register and fflags writes', () => {
    fpu.fpTestSetFs(1);
    run(fsgnj(FMT_D, 0), ONE_D, ONE_D);
    expect(fpu.fpTestGetFs()).toBe(3);
    fpu.fpTestSetFs(2);
    run(fcmp(FMT_D, 1), QNAN_D, ONE_D); // writes x7 and NV
    expect(fpu.fpTestGetFs()).toBe(3);
  });
});

describe('NaNs', () => {
  it('returns the canonical NaN whatever the input payload', () => {
    expect(f(fadd(FMT_D, RNE), 0x7ffc000000000123n, ONE_D)).toEqual([QNAN_D, 0]);
    expect(f(fadd(FMT_D, RNE), SNAN_D, ONE_D)).toEqual([QNAN_D, NV]);
    expect(f(fmul(FMT_S, RNE), SNAN_S, ONE_S)).toEqual([QNAN_S, NV]);
    expect(f(fsqrt(FMT_D, RNE), ONE_D | NEG)).toEqual([QNAN_D, NV]);
    expect(f(fsqrt(FMT_D, RNE), NEG)).toEqual([NEG, 0]); // sqrt(-0) = -0
    expect(f(fsub(FMT_D, RNE), INF_D, INF_D)).toEqual([QNAN_D, NV]);
    expect(f(fcvtDS(RNE), SNAN_S)).toEqual([QNAN_D, NV]);
    expect(f(fcvtSD(RNE), 0x7ff8dead00000000n)).toEqual([QNAN_S, 0]);
  });

  it('treats an improperly NaN-boxed single as the canonical NaN', () => {
    const unboxed = 0x000000003f800000n;
    expect(f(fadd(FMT_S, RNE), unboxed, ONE_S)).toEqual([QNAN_S, 0]);
    expect(f(fadd(FMT_S, RNE), 0xfffffffe3f800000n, ONE_S)).toEqual([QNAN_S, 0]);
    expect(f(fsgnj(FMT_S, 0), unboxed, s(-1))).toEqual([BOX | 0xffc00000n, 0]);
    expect(x(fclass(FMT_S), unboxed)).toEqual([1n << 9n, 0]);
    expect(f(fcvtDS(RNE), unboxed)).toEqual([QNAN_D, 0]);
    expect(x(fcmp(FMT_S, 2), unboxed, unboxed)).toEqual([0n, 0]);
  });

  it('writes single results NaN-boxed', () => {
    expect(f(fadd(FMT_S, RNE), ONE_S, ONE_S)).toEqual([s(2), 0]);
    fpu.fpTestSetX(6, 0xdeadbeef3f800000n);
    expect(f(fmvFromX(FMT_S), 0xdeadbeef3f800000n)).toEqual([ONE_S, 0]);
  });

  it('moves raw bits with FMV.X.W (sign-extended, no box check) and FMV.X.D', () => {
    expect(x(fmvToX(FMT_S), 0x00000000bf800000n)).toEqual([0xffffffffbf800000n, 0]);
    expect(x(fmvToX(FMT_S), BOX | 0x7f800001n)).toEqual([0x7f800001n, 0]);
    expect(x(fmvToX(FMT_D), SNAN_D)).toEqual([SNAN_D, 0]);
    expect(f(fmvFromX(FMT_D), SNAN_D)).toEqual([SNAN_D, 0]);
  });

  it('orders -0 below +0 in FMIN/FMAX and returns the non-NaN operand', () => {
    expect(f(fminmax(FMT_D, 0), 0n, NEG)).toEqual([NEG, 0]);
    expect(f(fminmax(FMT_D, 1), NEG, 0n)).toEqual([0n, 0]);
    expect(f(fminmax(FMT_D, 0), QNAN_D, ONE_D)).toEqual([ONE_D, 0]);
    expect(f(fminmax(FMT_D, 1), ONE_D, SNAN_D)).toEqual([ONE_D, NV]);
    expect(f(fminmax(FMT_D, 1), SNAN_D, QNAN_D)).toEqual([QNAN_D, NV]);
    expect(f(fminmax(FMT_S, 0), 0n, ONE_S)).toEqual([ONE_S, 0]); // unboxed 0 is a qNaN
  });

  it('raises NV in FEQ only for signaling NaNs, in FLT/FLE for any NaN', () => {
    expect(x(fcmp(FMT_D, 2), QNAN_D, ONE_D)).toEqual([0n, 0]);
    expect(x(fcmp(FMT_D, 2), SNAN_D, ONE_D)).toEqual([0n, NV]);
    expect(x(fcmp(FMT_D, 1), QNAN_D, ONE_D)).toEqual([0n, NV]);
    expect(x(fcmp(FMT_D, 0), ONE_D, QNAN_D)).toEqual([0n, NV]);
    expect(x(fcmp(FMT_D, 2), NEG, 0n)).toEqual([1n, 0]);
    expect(x(fcmp(FMT_D, 1), NEG, 0n)).toEqual([0n, 0]);
    expect(x(fcmp(FMT_D, 0), NEG, 0n)).toEqual([1n, 0]);
    expect(x(fcmp(FMT_S, 1), s(-2), s(1))).toEqual([1n, 0]);
  });

  it('classifies every class', () => {
    const cases: [bigint, number][] = [
      [INF_D | NEG, 0], [ONE_D | NEG, 1], [1n | NEG, 2], [NEG, 3], [0n, 4], [1n, 5], [ONE_D, 6], [INF_D, 7],
      [SNAN_D, 8], [QNAN_D, 9],
    ];
    for (const [v, bit] of cases) expect(x(fclass(FMT_D), v)).toEqual([1n << BigInt(bit), 0]);
  });
});

describe('conversions', () => {
  const I32_MAX = 0x7fffffffn, I32_MIN = 0xffffffff80000000n, ALL = 0xffffffffffffffffn;
  const I64_MAX = 0x7fffffffffffffffn, I64_MIN = 0x8000000000000000n;

  it('saturates at the limits with NV and no NX', () => {
    expect(x(fcvtToInt(FMT_D, W, RTZ), d(2 ** 31))).toEqual([I32_MAX, NV]);
    expect(x(fcvtToInt(FMT_D, W, RTZ), d(-(2 ** 31)))).toEqual([I32_MIN, 0]);
    expect(x(fcvtToInt(FMT_D, W, RTZ), d(-(2 ** 31) - 1))).toEqual([I32_MIN, NV]);
    expect(x(fcvtToInt(FMT_D, W, RTZ), d(-(2 ** 31) - 0.5))).toEqual([I32_MIN, NX]);
    expect(x(fcvtToInt(FMT_D, W, RNE), d(-(2 ** 31) - 0.5))).toEqual([I32_MIN, NX]);
    expect(x(fcvtToInt(FMT_D, W, RMM), d(-(2 ** 31) - 0.5))).toEqual([I32_MIN, NV]);
    expect(x(fcvtToInt(FMT_D, WU, RTZ), d(2 ** 32))).toEqual([ALL, NV]);
    expect(x(fcvtToInt(FMT_D, WU, RTZ), d(2 ** 32 - 1))).toEqual([ALL, 0]); // sign-extended 0xffffffff
    expect(x(fcvtToInt(FMT_D, L, RTZ), d(2 ** 63))).toEqual([I64_MAX, NV]);
    expect(x(fcvtToInt(FMT_D, L, RTZ), d(-(2 ** 63)))).toEqual([I64_MIN, 0]);
    expect(x(fcvtToInt(FMT_D, LU, RTZ), d(2 ** 64))).toEqual([ALL, NV]);
    expect(x(fcvtToInt(FMT_D, LU, RTZ), 0x43efffffffffffffn)).toEqual([0xfffffffffffff800n, 0]);
    expect(x(fcvtToInt(FMT_S, L, RTZ), s(2 ** 63))).toEqual([I64_MAX, NV]);
    expect(x(fcvtToInt(FMT_S, LU, RTZ), s(2 ** 63))).toEqual([I64_MIN, 0]);
  });

  it('maps NaN to the largest positive integer and infinities by sign', () => {
    expect(x(fcvtToInt(FMT_D, W, RNE), QNAN_D)).toEqual([I32_MAX, NV]);
    expect(x(fcvtToInt(FMT_D, W, RNE), QNAN_D | NEG)).toEqual([I32_MAX, NV]);
    expect(x(fcvtToInt(FMT_D, WU, RNE), QNAN_D)).toEqual([ALL, NV]);
    expect(x(fcvtToInt(FMT_D, L, RNE), SNAN_D)).toEqual([I64_MAX, NV]);
    expect(x(fcvtToInt(FMT_D, LU, RNE), QNAN_D)).toEqual([ALL, NV]);
    expect(x(fcvtToInt(FMT_D, W, RNE), INF_D | NEG)).toEqual([I32_MIN, NV]);
    expect(x(fcvtToInt(FMT_D, LU, RNE), INF_D | NEG)).toEqual([0n, NV]);
    expect(x(fcvtToInt(FMT_D, L, RNE), INF_D)).toEqual([I64_MAX, NV]);
  });

  it('converts negative values to unsigned: -1 is invalid, -0.5 depends on the rounding', () => {
    expect(x(fcvtToInt(FMT_D, WU, RTZ), d(-1))).toEqual([0n, NV]);
    expect(x(fcvtToInt(FMT_D, LU, RTZ), d(-1))).toEqual([0n, NV]);
    expect(x(fcvtToInt(FMT_D, WU, RTZ), d(-0.5))).toEqual([0n, NX]);
    expect(x(fcvtToInt(FMT_D, WU, RNE), d(-0.5))).toEqual([0n, NX]);
    expect(x(fcvtToInt(FMT_D, WU, RUP), d(-0.5))).toEqual([0n, NX]);
    expect(x(fcvtToInt(FMT_D, WU, RDN), d(-0.5))).toEqual([0n, NV]);
    expect(x(fcvtToInt(FMT_D, LU, RMM), d(-0.5))).toEqual([0n, NV]);
    expect(x(fcvtToInt(FMT_D, LU, RNE), NEG)).toEqual([0n, 0]);
  });

  it('rounds to integers in every mode', () => {
    const want: Record<number, [number, number, number]> = { // 2.5, -2.5, 0.3
      [RNE]: [2, -2, 0], [RTZ]: [2, -2, 0], [RDN]: [2, -3, 0], [RUP]: [3, -2, 1], [RMM]: [3, -3, 0],
    };
    for (const rm of ALL_RM) {
      const [a, b, c] = want[rm];
      expect(x(fcvtToInt(FMT_D, L, rm), d(2.5))).toEqual([u64(BigInt(a)), NX]);
      expect(x(fcvtToInt(FMT_S, W, rm), s(-2.5))).toEqual([u64(BigInt(b)), NX]);
      expect(x(fcvtToInt(FMT_D, W, rm), d(0.3))).toEqual([u64(BigInt(c)), NX]);
    }
  });

  it('converts integers to floats with rounding', () => {
    expect(f(fcvtFromInt(FMT_D, W, RNE), 0x12345678ffffffffn)).toEqual([d(-1), 0]); // low 32 bits, signed
    expect(f(fcvtFromInt(FMT_D, WU, RNE), 0x12345678ffffffffn)).toEqual([d(2 ** 32 - 1), 0]);
    expect(f(fcvtFromInt(FMT_D, LU, RNE), 0xffffffffffffffffn)).toEqual([d(2 ** 64), NX]);
    expect(f(fcvtFromInt(FMT_D, LU, RTZ), 0xffffffffffffffffn)).toEqual([0x43efffffffffffffn, NX]);
    expect(f(fcvtFromInt(FMT_D, L, RNE), 0x8000000000000000n)).toEqual([d(-(2 ** 63)), 0]);
    expect(f(fcvtFromInt(FMT_S, W, RNE), 0x01000001n)).toEqual([s(2 ** 24), NX]); // tie to even
    expect(f(fcvtFromInt(FMT_S, W, RUP), 0x01000001n)).toEqual([s(2 ** 24 + 2), NX]);
    expect(f(fcvtFromInt(FMT_S, W, RNE), 0n)).toEqual([BOX, 0]);
  });

  it('converts between single and double', () => {
    expect(f(fcvtDS(RNE), BOX | 0x00000001n)).toEqual([d(2 ** -149), 0]); // subnormal single is a normal double
    expect(f(fcvtSD(RNE), d(1 + 2 ** -24))).toEqual([ONE_S, NX]);
    expect(f(fcvtSD(RUP), d(1 + 2 ** -24))).toEqual([BOX | 0x3f800001n, NX]);
    expect(f(fcvtSD(RNE), MAX_D)).toEqual([BOX | 0x7f800000n, OF | NX]);
    expect(f(fcvtSD(RTZ), MAX_D)).toEqual([BOX | 0x7f7fffffn, OF | NX]);
    expect(f(fcvtSD(RNE), d(2 ** -150))).toEqual([BOX, UF | NX]);
    expect(f(fcvtSD(RNE), d(2 ** -149))).toEqual([BOX | 1n, 0]);
  });
});

describe('fused multiply-add', () => {
  it('rounds once', () => {
    // (1 + 2^-30)(1 - 2^-30) - 1 = -2^-60, but 0 with a rounded product
    const a = d(1 + 2 ** -30), b = d(1 - 2 ** -30);
    expect(f(fused(FMADD, FMT_D, RNE), a, b, d(-1))).toEqual([d(-(2 ** -60)), 0]);
    expect(f(fused(FMSUB, FMT_D, RNE), a, b, ONE_D)).toEqual([d(-(2 ** -60)), 0]);
    expect(f(fused(FNMSUB, FMT_D, RNE), a, b, ONE_D)).toEqual([d(2 ** -60), 0]);
    expect(f(fused(FNMADD, FMT_D, RNE), a, b, d(-1))).toEqual([d(2 ** -60), 0]);
    const as = s(1 + 2 ** -12), bs = s(1 - 2 ** -12);
    expect(f(fused(FMADD, FMT_S, RNE), as, bs, s(-1))).toEqual([s(-(2 ** -24)), 0]);
  });

  it('rounds the exact sum in every mode', () => {
    // 1 * 1 + 2^-60: inexact, just above 1
    for (const rm of ALL_RM) {
      const want = rm === RUP ? ONE_D + 1n : ONE_D;
      expect(f(fused(FMADD, FMT_D, rm), ONE_D, ONE_D, d(2 ** -60))).toEqual([want, NX]);
    }
  });

  it('raises NV for inf * 0 even with a quiet NaN addend', () => {
    expect(f(fused(FMADD, FMT_D, RNE), INF_D, 0n, QNAN_D)).toEqual([QNAN_D, NV]);
    expect(f(fused(FMADD, FMT_D, RNE), 0n, INF_D, ONE_D)).toEqual([QNAN_D, NV]);
    expect(f(fused(FMADD, FMT_D, RNE), INF_D, ONE_D, INF_D | NEG)).toEqual([QNAN_D, NV]);
    expect(f(fused(FMADD, FMT_D, RNE), QNAN_D, ONE_D, ONE_D)).toEqual([QNAN_D, 0]);
  });

  it('gives exact zero sums the sign of the rounding direction', () => {
    expect(f(fused(FMADD, FMT_D, RNE), ONE_D, ONE_D, d(-1))).toEqual([0n, 0]);
    expect(f(fused(FMADD, FMT_D, RDN), ONE_D, ONE_D, d(-1))).toEqual([NEG, 0]);
    expect(f(fused(FMADD, FMT_D, RNE), NEG, ONE_D, NEG)).toEqual([NEG, 0]); // -0 + -0
  });
});

describe('illegal encodings', () => {
  const illegal = (insn: number, frm = 0) => expect(run(insn, ONE_D, ONE_D, ONE_D, frm).legal).toBe(false);

  it('rejects reserved rounding modes', () => {
    illegal(fadd(FMT_D, 5));
    illegal(fadd(FMT_D, 6));
    illegal(fused(FMADD, FMT_S, 5));
    illegal(fcvtToInt(FMT_D, W, 6));
    illegal(fcvtDS(5));
    for (const frm of [5, 6, 7]) {
      illegal(fadd(FMT_D, DYN), frm);
      illegal(fsqrt(FMT_S, DYN), frm);
      illegal(fcvtFromInt(FMT_D, L, DYN), frm);
    }
    expect(run(fadd(FMT_D, DYN), ONE_D, ONE_D, 0n, 4).legal).toBe(true);
  });

  it('leaves registers and flags untouched when illegal', () => {
    const r = run(fdiv(FMT_D, 5), ONE_D, 0n);
    expect(r).toEqual({ f: 0x1234n, x: 0x1234n, flags: 0, legal: false });
  });

  it('rejects H and Q formats, bad funct3 and rs2 fields, unknown funct5', () => {
    illegal(fadd(2, RNE));
    illegal(fadd(3, RNE));
    illegal(fused(FMADD, 3, RNE));
    illegal(rType(0x0b, FMT_D, 1, RNE)); // fsqrt with rs2 != 0
    illegal(fsgnj(FMT_D, 3));
    illegal(fminmax(FMT_S, 2));
    illegal(fcmp(FMT_D, 3));
    illegal(fcvtToInt(FMT_D, 4, RNE));
    illegal(fcvtFromInt(FMT_S, 5, RNE));
    illegal(rType(0x08, FMT_S, 0, RNE)); // fcvt.s.s
    illegal(rType(0x08, FMT_D, 1, RNE)); // fcvt.d.d
    illegal(rType(0x1c, FMT_D, 0, 2, 7));
    illegal(rType(0x1e, FMT_D, 0, 1, 4, 6));
    illegal(rType(0x06, FMT_D, 2, RNE));
    illegal(0x00000007); // not an FP opcode
  });
});

describe('integer destinations', () => {
  it('never writes x0', () => {
    fpu.fpTestSetF(1, ONE_D);
    fpu.fpTestSetF(2, ONE_D);
    expect(fpu.fpTestExec(rType(0x14, FMT_D, 2, 2, 0))).toBe(1); // feq x0, f1, f2
    expect(fpu.fpTestGetX(0)).toBe(0n);
  });
});
