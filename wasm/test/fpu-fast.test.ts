// The native round-to-nearest fast paths (fpu-fast.ts) must be indistinguishable
// from the soft-float (fpu-softfloat.ts, itself checked against QEMU by
// fpu-vectors.test.ts): same bits, same flags, on operands built to hit
// near-ties, cancellation and the edges of the fast paths' ranges.
import { describe, expect, it } from 'vitest';
import { loadFpu, u64 } from './fpu-harness';

/** Deterministic xorshift64* so failures reproduce. */
function rng(seed: bigint) {
  let st = seed;
  return (): bigint => {
    st ^= st >> 12n; st ^= (st << 25n) & 0xffffffffffffffffn; st ^= st >> 27n;
    return (st * 0x2545f4914f6cdd1dn) & 0xffffffffffffffffn;
  };
}

const BOX = 0xffffffff00000000n;
const fpu = loadFpu();

function dBits(x: number): bigint {
  const v = new DataView(new ArrayBuffer(8)); v.setFloat64(0, x); return v.getBigUint64(0);
}
function dVal(b: bigint): number {
  const v = new DataView(new ArrayBuffer(8)); v.setBigUint64(0, b); return v.getFloat64(0);
}

/** Operand generators for one format: 64-bit register values (singles NaN-boxed). */
function makeGen(isD: boolean, next: () => bigint) {
  const fBits = isD ? 52n : 23n, eMax = isD ? 0x7ffn : 0xffn, bias = isD ? 1023n : 127n;
  const box = (v: bigint) => (isD ? v : BOX | v);
  const pick = (n: number) => Number(next() % BigInt(n));
  const frac = (): bigint => {
    const m = (1n << fBits) - 1n, r = next() & m;
    switch (pick(5)) {
      case 0: return r >> BigInt(pick(Number(fBits)));
      case 1: return m ^ (1n << BigInt(pick(Number(fBits))));
      case 2: return BigInt(pick(8));
      default: return r;
    }
  };
  const withExp = (e: bigint) => {
    const ee = e < 0n ? 0n : e > eMax - 1n ? eMax - 1n : e;
    return box((BigInt(pick(2)) << (isD ? 63n : 31n)) | (ee << fBits) | frac());
  };
  const any = () => {
    switch (pick(6)) {
      case 0: return withExp(BigInt(pick(Number(eMax))));
      case 1: return withExp(BigInt(pick(3)));
      case 2: return withExp(eMax - 1n - BigInt(pick(3)));
      default: return withExp(bias - 30n + BigInt(pick(60)));
    }
  };
  const expOf = (v: bigint) => (v >> fBits) & eMax;
  const near = (v: bigint) => withExp(expOf(v) + BigInt(pick(isD ? 112 : 54)) - (isD ? 56n : 27n));
  return { any, near, withExp, expOf, pick };
}

const rType = (funct5: number, fmt: number, rm = 0) =>
  ((funct5 << 27) | (fmt << 25) | (2 << 20) | (1 << 15) | (rm << 12) | (4 << 7) | 0x53) >>> 0;
const fused = (opcode: number, fmt: number) =>
  ((3 << 27) | (fmt << 25) | (2 << 20) | (1 << 15) | (4 << 7) | opcode) >>> 0;

function both(insn: number, a: bigint, b: bigint, c: bigint): [string, string] {
  const out: string[] = [];
  for (const fast of [1, 0]) {
    fpu.fpTestSetFastPath(fast);
    fpu.fpTestSetFcsr(0);
    fpu.fpTestSetF(1, a); fpu.fpTestSetF(2, b); fpu.fpTestSetF(3, c);
    fpu.fpTestExec(insn);
    out.push(`${u64(fpu.fpTestGetF(4)).toString(16)}/${fpu.fpTestGetFcsr()}`);
  }
  fpu.fpTestSetFastPath(1);
  return out as [string, string];
}

function check(insn: number, cases: Iterable<[bigint, bigint, bigint]>) {
  const bad: string[] = [];
  let n = 0;
  for (const [a, b, c] of cases) {
    n++;
    const [fast, soft] = both(insn, a, b, c);
    if (fast !== soft && bad.length < 10) bad.push(`${a.toString(16)} ${b.toString(16)} ${c.toString(16)}: fast ${fast} soft ${soft}`);
  }
  expect(bad).toEqual([]);
  return n;
}

const N = 40_000;

describe.each([['D', 1], ['S', 0]])('fast paths agree with soft-float (%s)', (_name, fmt) => {
  const isD = fmt === 1;
  const next = rng(isD ? 0x1234567n : 0x7654321n);
  const g = makeGen(isD, next);

  it.each([['fadd', 0], ['fsub', 1], ['fmul', 2], ['fdiv', 3]])('%s', (_op, funct5) => {
    function* cases(): Generator<[bigint, bigint, bigint]> {
      for (let i = 0; i < N; i++) { const a = g.any(); yield [a, g.pick(2) ? g.near(a) : g.any(), 0n]; }
    }
    check(rType(funct5, fmt), cases());
  });

  it('fsqrt', () => {
    function* cases(): Generator<[bigint, bigint, bigint]> {
      for (let i = 0; i < N; i++) yield [g.any() & ~(1n << (isD ? 63n : 31n)), 0n, 0n];
    }
    check(((0x0b << 27) | (fmt << 25) | (1 << 15) | (4 << 7) | 0x53) >>> 0, cases());
  });

  it.each([['fmadd', 0x43], ['fmsub', 0x47], ['fnmsub', 0x4b], ['fnmadd', 0x4f]])('%s', (_op, opcode) => {
    function* cases(): Generator<[bigint, bigint, bigint]> {
      for (let i = 0; i < N; i++) {
        const a = g.any(), b = g.pick(3) ? g.near(a) : g.any();
        let c: bigint;
        const k = g.pick(4);
        if (k === 0) c = g.any();
        else if (k === 1) c = g.near(a);
        else if (isD) { // cancellation: c close to -(a*b)
          const p = dBits(-(dVal(a) * dVal(b)));
          c = k === 2 ? p : p ^ BigInt(g.pick(16));
          if (((c >> 52n) & 0x7ffn) === 0x7ffn) c = g.any();
        } else c = g.near(a);
        yield [a, b, c];
      }
      // exact ties and near-ties: (1 + i 2^-52)(1 + j 2^-52) + m 2^-k
      if (isD) {
        for (let i = 0; i < 16; i++) for (let j = 0; j < 16; j++) for (const kk of [52, 53, 54, 60, 104, 105, 106]) {
          for (const m of [1, -1, 3, -3]) {
            yield [dBits(1 + i * 2 ** -52), dBits(1 + j * 2 ** -52), dBits(m * 2 ** -kk)];
            yield [dBits(1 + i * 2 ** -52), dBits(1 - j * 2 ** -53), dBits(m * 2 ** -kk - 1)];
          }
        }
      }
    }
    check(fused(opcode, fmt), cases());
  });
});
