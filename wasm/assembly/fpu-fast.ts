// Round-to-nearest-even fast paths on native wasm floats, for the common case
// only: finite, non-zero operands well inside the exponent range and a normal
// result. Wasm arithmetic on non-NaN values is exactly IEEE 754 RNE, so the
// results are deterministic; inexactness (the only flag possible in this
// range) is detected exactly with error-free transformations (Knuth TwoSum,
// Dekker TwoProduct) or, for binary32, by exact re-multiplication in binary64.
// Anything else returns FAST_MISS and goes to fpu-softfloat.ts.
//
// binary32 goes through binary64 and back: double rounding is innocuous for
// + - * / sqrt because 53 >= 2 * 24 + 2 (Figueroa, "When is double rounding
// innocuous?", 1995).

import { FFLAG_NX } from './state';
import { sfRaise } from './fpu-softfloat';

/** Not a possible fast result (a signaling NaN; the fast paths never return NaN). */
export const FAST_MISS: u64 = 0x7ff4000000000001;

const SPLITTER: f64 = 134217729.0; // 2^27 + 1 (Veltkamp)

@inline function expD(a: u64): i32 { return <i32>(a >> 52) & 0x7ff; }
@inline function expS(a: u64): i32 { return <i32>(a >> 23) & 0xff; }
/** Unbiased exponent within [-lim, lim] (excludes zero, subnormals, inf, NaN). */
@inline function inRangeD(a: u64, lim: i32): bool { const e = expD(a) - 1023; return e >= -lim && e <= lim; }

/** Dekker TwoProduct: true if x * y == p exactly. Needs |x|, |y| < 2^995 and no underflow in the parts. */
@inline function productExact(x: f64, y: f64, p: f64): bool {
  let c = SPLITTER * x;
  const xh = c - (c - x), xl = x - xh;
  c = SPLITTER * y;
  const yh = c - (c - y), yl = y - yh;
  const err = ((xh * yh - p) + xh * yl + xl * yh) + xl * yl;
  return err == 0;
}

@inline function finish(v: u64, exact: bool): u64 {
  if (!exact) sfRaise(FFLAG_NX);
  return v;
}

export function fastAddD(a: u64, b: u64, negB: bool): u64 {
  if (expD(a) == 0x7ff || expD(b) == 0x7ff) return FAST_MISS;
  const x = reinterpret<f64>(a);
  const y = reinterpret<f64>(negB ? b ^ (<u64>1 << 63) : b);
  const s = x + y;
  const bits = reinterpret<u64>(s);
  if (expD(bits) >= 0x7fb) return FAST_MISS; // overflow, or near enough to upset TwoSum
  // Sums whose result is subnormal are exact, so only NX is possible here.
  const bv = s - x;
  const err = (x - (s - bv)) + (y - bv);
  return finish(bits, err == 0);
}

export function fastMulD(a: u64, b: u64): u64 {
  if (!inRangeD(a, 450) || !inRangeD(b, 450)) return FAST_MISS;
  const x = reinterpret<f64>(a), y = reinterpret<f64>(b);
  const p = x * y;
  return finish(reinterpret<u64>(p), productExact(x, y, p));
}

export function fastDivD(a: u64, b: u64): u64 {
  if (!inRangeD(a, 450) || !inRangeD(b, 450)) return FAST_MISS;
  const x = reinterpret<f64>(a), y = reinterpret<f64>(b);
  const q = x / y;
  // q * y == x exactly iff the quotient is exact; q * y rounds to x when it is.
  const p = q * y;
  return finish(reinterpret<u64>(q), p == x && productExact(q, y, p));
}

export function fastSqrtD(a: u64): u64 {
  if ((a >> 63) != 0) return FAST_MISS;
  const e = expD(a) - 1023;
  if (e < -900 || e > 1000) return FAST_MISS;
  const x = reinterpret<f64>(a);
  const r = sqrt<f64>(x);
  const p = r * r;
  return finish(reinterpret<u64>(r), p == x && productExact(r, r, p));
}

@inline function normalS(a: u64): bool { const e = expS(a); return e != 0 && e != 0xff; }
/** A result clear of both ends: 2^emin itself may have been rounded up from a tiny value (UF). */
@inline function safeResultS(a: u64): bool { const e = expS(a); return e > 1 && e != 0xff; }
@inline function toS(v: f64): u64 { return <u64>reinterpret<u32>(<f32>v); }

export function fastAddS(a: u64, b: u64, negB: bool): u64 {
  if (expS(a) == 0xff || expS(b) == 0xff) return FAST_MISS;
  const x = <f64>reinterpret<f32>(<u32>a);
  const y = <f64>reinterpret<f32>(<u32>(negB ? b ^ 0x80000000 : b));
  const s = x + y;
  const r = toS(s);
  if (!safeResultS(r)) return FAST_MISS;
  const bv = s - x;
  const err = (x - (s - bv)) + (y - bv);
  return finish(r, err == 0 && <f64>reinterpret<f32>(<u32>r) == s);
}

export function fastMulS(a: u64, b: u64): u64 {
  if (expS(a) == 0xff || expS(b) == 0xff) return FAST_MISS;
  const p = <f64>reinterpret<f32>(<u32>a) * <f64>reinterpret<f32>(<u32>b); // exact: 48 bits
  const r = toS(p);
  if (!safeResultS(r)) return FAST_MISS;
  return finish(r, <f64>reinterpret<f32>(<u32>r) == p);
}

export function fastDivS(a: u64, b: u64): u64 {
  if (!normalS(a) || !normalS(b)) return FAST_MISS;
  const x = <f64>reinterpret<f32>(<u32>a), y = <f64>reinterpret<f32>(<u32>b);
  const r = toS(x / y);
  if (!safeResultS(r)) return FAST_MISS;
  return finish(r, <f64>reinterpret<f32>(<u32>r) * y == x); // 24 x 24 bits: exact in binary64
}

export function fastSqrtS(a: u64): u64 {
  if (!normalS(a) || (a & 0x80000000) != 0) return FAST_MISS;
  const x = <f64>reinterpret<f32>(<u32>a);
  const r = toS(sqrt<f64>(x));
  const rv = <f64>reinterpret<f32>(<u32>r);
  return finish(r, rv * rv == x);
}

/** fl(x + y) and its exact error (Knuth TwoSum), the error left in twoSumErr. */
let twoSumErr: f64 = 0;
@inline function twoSum(x: f64, y: f64): f64 {
  const s = x + y;
  const bv = s - x;
  twoSumErr = (x - (s - bv)) + (y - bv);
  return s;
}

/**
 * a * b + c with one rounding (operands already negated as the opcode asks).
 * a * b = ph + pl exactly (Dekker), then X = ph + pl + c = r + (w + v) exactly
 * by TwoSums, with r = fl(s + u). r is the correctly rounded X when |w + v| is
 * clearly below half the gap to r's neighbour on that side; otherwise (a near
 * tie, about 2^-20 of cases) or out of range, the soft path decides. All
 * intermediate values are multiples of 2^-1004, so nothing underflows.
 */
export function fastMulAddD(a: u64, b: u64, c: u64): u64 {
  if (!inRangeD(a, 450) || !inRangeD(b, 450) || !inRangeD(c, 900)) return FAST_MISS;
  const x = reinterpret<f64>(a), y = reinterpret<f64>(b), z = reinterpret<f64>(c);
  const ph = x * y;
  let k = SPLITTER * x;
  const xh = k - (k - x), xl = x - xh;
  k = SPLITTER * y;
  const yh = k - (k - y), yl = y - yh;
  const pl = ((xh * yh - ph) + xh * yl + xl * yh) + xl * yl;
  const s = twoSum(ph, z);
  const u = twoSum(twoSumErr, pl);
  const v = twoSumErr;
  const r = twoSum(s, u);
  const rest = twoSumErr + v; // fl(w + v): zero iff w + v == 0
  const bits = reinterpret<u64>(r);
  const e = expD(bits);
  if (e < 0x100) return FAST_MISS; // zero or so small that the gaps below are not normal
  // Half the gap to the neighbour away from zero, or toward zero (a quarter ulp below a power of two).
  const away = (rest > 0) == (r > 0);
  const gapE = away || (bits & 0xfffffffffffff) != 0 ? e - 53 : e - 54;
  const limit = reinterpret<f64>(<u64>gapE << 52) * (1.0 - 1.0 / 1048576.0);
  if (abs<f64>(rest) >= limit) return FAST_MISS;
  return finish(bits, rest == 0);
}

/**
 * binary32 a * b + c: the product is exact in binary64 and X = s + t exactly.
 * Rounding s to binary32 is wrong only when s is a binary32 midpoint and t != 0.
 */
export function fastMulAddS(a: u64, b: u64, c: u64): u64 {
  if (expS(a) == 0xff || expS(b) == 0xff || expS(c) == 0xff) return FAST_MISS;
  const p = <f64>reinterpret<f32>(<u32>a) * <f64>reinterpret<f32>(<u32>b);
  const s = twoSum(p, <f64>reinterpret<f32>(<u32>c));
  const t = twoSumErr;
  const r = toS(s);
  if (!safeResultS(r)) return FAST_MISS;
  if (t != 0 && (reinterpret<u64>(s) & 0x1fffffff) == 0x10000000) return FAST_MISS;
  return finish(r, t == 0 && <f64>reinterpret<f32>(<u32>r) == s);
}
