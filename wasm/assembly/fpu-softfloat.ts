// Software IEEE 754-2008 binary32/binary64 arithmetic with RISC-V semantics
// (Unprivileged spec 13.2-13.7, 14.3-14.6): five rounding modes, exact
// accrued flags, tininess detected after rounding, canonical NaN results.
//
// Every routine is written once for both formats: `d` selects binary64
// (11-bit exponent, 52-bit fraction) or binary32 (8, 23). Operands and results
// are raw IEEE bit patterns in the low bits of a u64; NaN boxing is the
// caller's business (fpu.ts). No host float is used here, so every result and
// flag is a pure function of the inputs.
//
// Internal form of a finite non-zero value: sign, biased exponent `exp` (may
// leave the format's range) and a u64 significand `sig` with its leading one
// at bit 62: value = sig / 2^62 * 2^(exp - bias). Bits below the format's
// precision are round bits; bit 0 is a sticky bit ("jam").

import { FFLAG_NX, FFLAG_UF, FFLAG_OF, FFLAG_DZ, FFLAG_NV } from './state';

export const RM_RNE: u32 = 0;
export const RM_RTZ: u32 = 1;
export const RM_RDN: u32 = 2;
export const RM_RUP: u32 = 3;
export const RM_RMM: u32 = 4;

export const CANONICAL_NAN_S: u64 = 0x7fc00000;
export const CANONICAL_NAN_D: u64 = 0x7ff8000000000000;

/** Flags raised since the caller last cleared them; fpu.ts ORs them into fflags. */
export let sfFlags: u32 = 0;
@inline export function sfClearFlags(): void { sfFlags = 0; }
@inline export function sfRaise(f: u32): void { sfFlags |= f; }

// ---- format parameters
@inline function fracBits(d: bool): i32 { return d ? 52 : 23; }
@inline function expAllOnes(d: bool): i32 { return d ? 0x7ff : 0xff; }
@inline function expBias(d: bool): i32 { return d ? 1023 : 127; }
@inline function signShift(d: bool): u64 { return d ? 63 : 31; }
@inline export function canonicalNaN(d: bool): u64 { return d ? CANONICAL_NAN_D : CANONICAL_NAN_S; }
@inline function signBit(d: bool): u64 { return <u64>1 << signShift(d); }

// ---- classification on raw bits
@inline export function isNaN(a: u64, d: bool): bool {
  const f = fracBits(d);
  return <i32>((a >> f) & <u64>expAllOnes(d)) == expAllOnes(d) && (a & ((<u64>1 << f) - 1)) != 0;
}
@inline export function isSNaN(a: u64, d: bool): bool {
  return isNaN(a, d) && ((a >> <u64>(fracBits(d) - 1)) & 1) == 0;
}
@inline function signOf(a: u64, d: bool): u32 { return <u32>(a >> signShift(d)) & 1; }
@inline function magnitude(a: u64, d: bool): u64 { return a & (signBit(d) - 1); }

// ---- unpacked operands (static, never reallocated: the runtime has no GC)
const CLS_ZERO: u32 = 0;
const CLS_FINITE: u32 = 1;
const CLS_INF: u32 = 2;
const CLS_QNAN: u32 = 3;
const CLS_SNAN: u32 = 4;

class Unpacked {
  sign: u32 = 0;
  exp: i32 = 0;
  sig: u64 = 0;
  cls: u32 = 0;
  @inline isNaN(): bool { return this.cls >= CLS_QNAN; }
}
const ua = new Unpacked();
const ub = new Unpacked();
const uc = new Unpacked();

function unpack(u: Unpacked, a: u64, d: bool): void {
  const f = fracBits(d);
  const eMax = expAllOnes(d);
  u.sign = signOf(a, d);
  const e = <i32>((a >> <u64>f) & <u64>eMax);
  const frac = a & ((<u64>1 << <u64>f) - 1);
  if (e == eMax) {
    u.cls = frac == 0 ? CLS_INF : (((frac >> <u64>(f - 1)) & 1) != 0 ? CLS_QNAN : CLS_SNAN);
  } else if (e == 0) {
    if (frac == 0) { u.cls = CLS_ZERO; return; }
    const s = frac << <u64>(62 - f);
    const n = <i32>clz(s) - 1;
    u.sig = s << <u64>n;
    u.exp = 1 - n;
    u.cls = CLS_FINITE;
  } else {
    u.sig = (frac | (<u64>1 << <u64>f)) << <u64>(62 - f);
    u.exp = e;
    u.cls = CLS_FINITE;
  }
}

/** x >> n with every shifted-out one ORed into bit 0. */
@inline export function shiftRightJam(x: u64, n: i32): u64 {
  if (n <= 0) return x;
  if (n < 64) return (x >> <u64>n) | u64((x << <u64>(64 - n)) != 0);
  return u64(x != 0);
}

/** Signals NV for signaling NaN operands and returns the canonical NaN (spec 13.3). */
function nanResult(d: bool): u64 {
  if (ua.cls == CLS_SNAN || ub.cls == CLS_SNAN || uc.cls == CLS_SNAN) sfRaise(FFLAG_NV);
  return canonicalNaN(d);
}
@inline function invalid(d: bool): u64 { sfRaise(FFLAG_NV); return canonicalNaN(d); }
@inline function packZero(sign: u32, d: bool): u64 { return <u64>sign << signShift(d); }
@inline function packInf(sign: u32, d: bool): u64 {
  return (<u64>sign << signShift(d)) | (<u64>expAllOnes(d) << <u64>fracBits(d));
}
/** The sign of an exact zero sum of opposite-signed operands (IEEE 754 6.3). */
@inline function zeroSumSign(rm: u32): u32 { return rm == RM_RDN ? 1 : 0; }

/**
 * Rounds sign * sig/2^62 * 2^(exp-bias) to the format and packs it. sig must
 * have bit 62 set (bit 63 clear). Raises NX, UF (tiny after rounding and
 * inexact), OF.
 */
export function roundPack(sign: u32, exp: i32, sig: u64, d: bool, rm: u32): u64 {
  const f = fracBits(d);
  const eMax = expAllOnes(d);
  const shift = <u64>(62 - f);
  const mask = (<u64>1 << shift) - 1;
  const half = <u64>1 << (shift - 1);
  let inc: u64;
  if (rm == RM_RNE || rm == RM_RMM) inc = half;
  else if (rm == RM_RTZ) inc = 0;
  else if (rm == RM_RDN) inc = sign != 0 ? mask : 0;
  else inc = sign != 0 ? 0 : mask;
  const signBits = <u64>sign << signShift(d);
  if (exp >= eMax) return overflow(sign, d, rm);
  if (exp <= 0) {
    // Tiny if the result rounded with unbounded exponent is below 2^emin:
    // at exp == 0 that is unless rounding at full precision carries to 2^emin.
    const tiny = exp < 0 || sig + inc < (<u64>1 << 63);
    sig = shiftRightJam(sig, 1 - exp);
    exp = 0;
    if (tiny && (sig & mask) != 0) sfRaise(FFLAG_UF);
  }
  const roundBits = sig & mask;
  if (roundBits != 0) sfRaise(FFLAG_NX);
  let r = (sig + inc) >> shift;
  if (rm == RM_RNE && roundBits == half) r &= ~(<u64>1);
  // A carry out of the significand bumps the exponent field by itself.
  const bits = exp == 0 ? r : (<u64>(exp - 1) << <u64>f) + r;
  if (<i32>(bits >> <u64>f) >= eMax) return overflow(sign, d, rm);
  return signBits | bits;
}

function overflow(sign: u32, d: bool, rm: u32): u64 {
  sfRaise(FFLAG_OF | FFLAG_NX);
  const inf = packInf(sign, d);
  let toInf: bool;
  if (rm == RM_RNE || rm == RM_RMM) toInf = true;
  else if (rm == RM_RTZ) toInf = false;
  else if (rm == RM_RDN) toInf = sign != 0;
  else toInf = sign == 0;
  return toInf ? inf : inf - 1; // largest finite: all-ones fraction, exponent emax-1
}

// ---- 128-bit helpers; results in r128Hi:r128Lo
let r128Hi: u64 = 0;
let r128Lo: u64 = 0;

function mul64To128(a: u64, b: u64): void {
  const a0 = a & 0xffffffff, a1 = a >> 32, b0 = b & 0xffffffff, b1 = b >> 32;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >> 32) + (p01 & 0xffffffff) + (p10 & 0xffffffff);
  r128Lo = (mid << 32) | (p00 & 0xffffffff);
  r128Hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

function shiftRightJam128(hi: u64, lo: u64, n: i32): void {
  if (n <= 0) { r128Hi = hi; r128Lo = lo; return; }
  if (n < 64) {
    r128Lo = (lo >> <u64>n) | (hi << <u64>(64 - n)) | u64((lo << <u64>(64 - n)) != 0);
    r128Hi = hi >> <u64>n;
  } else if (n == 64) {
    r128Lo = hi | u64(lo != 0);
    r128Hi = 0;
  } else if (n < 128) {
    r128Lo = (hi >> <u64>(n - 64)) | u64(((hi << <u64>(128 - n)) | lo) != 0);
    r128Hi = 0;
  } else {
    r128Lo = u64((hi | lo) != 0);
    r128Hi = 0;
  }
}

// ---- arithmetic

/** a + b (or a - b when negB). */
export function sfAdd(a: u64, b: u64, negB: bool, d: bool, rm: u32): u64 {
  unpack(ua, a, d); unpack(ub, b, d); uc.cls = CLS_ZERO;
  if (negB) { ub.sign ^= 1; b ^= signBit(d); }
  if (ua.isNaN() || ub.isNaN()) return nanResult(d);
  if (ua.cls == CLS_INF) {
    if (ub.cls == CLS_INF && ua.sign != ub.sign) return invalid(d);
    return a;
  }
  if (ub.cls == CLS_INF) return b;
  if (ua.cls == CLS_ZERO) {
    if (ub.cls == CLS_ZERO) return packZero(ua.sign == ub.sign ? ua.sign : zeroSumSign(rm), d);
    return b;
  }
  if (ub.cls == CLS_ZERO) return a;
  return addFinite(ua.sign, ua.exp, ua.sig, ub.sign, ub.exp, ub.sig, d, rm);
}

function addFinite(sa: u32, ea: i32, ma: u64, sb: u32, eb: i32, mb: u64, d: bool, rm: u32): u64 {
  if (ea < eb || (ea == eb && ma < mb)) {
    const ts = sa; sa = sb; sb = ts;
    const te = ea; ea = eb; eb = te;
    const tm = ma; ma = mb; mb = tm;
  }
  mb = shiftRightJam(mb, ea - eb);
  if (sa == sb) {
    let s = ma + mb;
    if ((s >> 63) != 0) { s = shiftRightJam(s, 1); ea++; }
    return roundPack(sa, ea, s, d, rm);
  }
  const s = ma - mb;
  if (s == 0) return packZero(zeroSumSign(rm), d);
  const n = <i32>clz(s) - 1;
  return roundPack(sa, ea - n, s << <u64>n, d, rm);
}

export function sfMul(a: u64, b: u64, d: bool, rm: u32): u64 {
  unpack(ua, a, d); unpack(ub, b, d); uc.cls = CLS_ZERO;
  if (ua.isNaN() || ub.isNaN()) return nanResult(d);
  const sign = ua.sign ^ ub.sign;
  if (ua.cls == CLS_INF || ub.cls == CLS_INF) {
    if (ua.cls == CLS_ZERO || ub.cls == CLS_ZERO) return invalid(d);
    return packInf(sign, d);
  }
  if (ua.cls == CLS_ZERO || ub.cls == CLS_ZERO) return packZero(sign, d);
  mul64To128(ua.sig, ub.sig); // < 2^126, value = P / 2^124
  let sig = (r128Hi << 2) | (r128Lo >> 62) | u64((r128Lo << 2) != 0);
  let exp = ua.exp + ub.exp - expBias(d);
  if ((sig >> 63) != 0) { sig = shiftRightJam(sig, 1); exp++; }
  return roundPack(sign, exp, sig, d, rm);
}

export function sfDiv(a: u64, b: u64, d: bool, rm: u32): u64 {
  unpack(ua, a, d); unpack(ub, b, d); uc.cls = CLS_ZERO;
  if (ua.isNaN() || ub.isNaN()) return nanResult(d);
  const sign = ua.sign ^ ub.sign;
  if (ua.cls == CLS_INF) return ub.cls == CLS_INF ? invalid(d) : packInf(sign, d);
  if (ub.cls == CLS_INF) return packZero(sign, d);
  if (ub.cls == CLS_ZERO) {
    if (ua.cls == CLS_ZERO) return invalid(d);
    sfRaise(FFLAG_DZ);
    return packInf(sign, d);
  }
  if (ua.cls == CLS_ZERO) return packZero(sign, d);
  // Restoring division: q = floor(ma / mb * 2^63), rem < 2 * mb < 2^64 throughout.
  // XXX: bit-serial (64 steps); only directed rounding modes and RNE edge cases come here.
  const mb = ub.sig;
  let rem = ua.sig;
  let q: u64 = 0;
  for (let i = 0; i < 64; i++) {
    q <<= 1;
    if (rem >= mb) { rem -= mb; q |= 1; }
    rem <<= 1;
  }
  const sticky = u64(rem != 0);
  let exp = ua.exp - ub.exp + expBias(d);
  if ((q >> 63) != 0) q = shiftRightJam(q, 1) | sticky;
  else { q |= sticky; exp--; }
  return roundPack(sign, exp, q, d, rm);
}

export function sfSqrt(a: u64, d: bool, rm: u32): u64 {
  unpack(ua, a, d); ub.cls = CLS_ZERO; uc.cls = CLS_ZERO;
  if (ua.isNaN()) return nanResult(d);
  if (ua.cls == CLS_ZERO) return a;
  if (ua.sign != 0) return invalid(d);
  if (ua.cls == CLS_INF) return a;
  // x = sig * 2^(E-62); radicand R = sig << k with E-62-k even, R < 2^119.
  const e = ua.exp - expBias(d);
  const k = (e & 1) != 0 ? 55 : 56;
  const hi = ua.sig >> <u64>(64 - k);
  const lo = ua.sig << <u64>k;
  let root: u64 = 0;
  let rem: u64 = 0; // rem <= 2 * root < 2^61
  // XXX: bit-serial like division; RNE normally takes the native path in fpu-fast.ts.
  for (let i = 59; i >= 0; i--) {
    const pos = i << 1;
    const two = pos >= 64 ? (hi >> <u64>(pos - 64)) & 3 : (lo >> <u64>pos) & 3;
    rem = (rem << 2) | two;
    const trial = (root << 2) | 1;
    if (rem >= trial) { rem -= trial; root = (root << 1) | 1; } else root <<= 1;
  }
  const half = (e - 62 - k) >> 1;
  const top = 63 - <i32>clz(root);
  const sig = (root << <u64>(62 - top)) | u64(rem != 0);
  return roundPack(0, top + half + expBias(d), sig, d, rm);
}

/** (±a*b) ± c with one rounding (spec 13.6): negProd negates a*b, negC negates c. */
export function sfMulAdd(a: u64, b: u64, c: u64, negProd: bool, negC: bool, d: bool, rm: u32): u64 {
  unpack(ua, a, d); unpack(ub, b, d); unpack(uc, c, d);
  const infZero = (ua.cls == CLS_INF && ub.cls == CLS_ZERO) || (ua.cls == CLS_ZERO && ub.cls == CLS_INF);
  if (ua.isNaN() || ub.isNaN() || uc.isNaN()) {
    // The spec requires NV for inf*0 even when the addend is a quiet NaN.
    if (infZero) sfRaise(FFLAG_NV);
    return nanResult(d);
  }
  if (infZero) return invalid(d);
  const signP = ua.sign ^ ub.sign ^ <u32>negProd;
  const signC = uc.sign ^ <u32>negC;
  if (negC) c ^= signBit(d);
  if (ua.cls == CLS_INF || ub.cls == CLS_INF) {
    if (uc.cls == CLS_INF && signC != signP) return invalid(d);
    return packInf(signP, d);
  }
  if (uc.cls == CLS_INF) return c;
  if (ua.cls == CLS_ZERO || ub.cls == CLS_ZERO) {
    if (uc.cls == CLS_ZERO) return packZero(signP == signC ? signP : zeroSumSign(rm), d);
    return c;
  }
  // Exact product as a 128-bit X_P with value X_P / 2^125 * 2^(eP - bias), X_P in [2^125, 2^127).
  mul64To128(ua.sig, ub.sig);
  let pHi = (r128Hi << 1) | (r128Lo >> 63);
  let pLo = r128Lo << 1;
  let eP = ua.exp + ub.exp - expBias(d);
  if (uc.cls == CLS_ZERO) {
    // x + 0 = x exactly (a zero addend of the other sign cannot flip a non-zero product).
    let sig = (pHi << 1) | (pLo >> 63) | u64((pLo << 1) != 0); // X_P >> 63: top at bit 62 or 63
    if ((sig >> 63) != 0) { sig = shiftRightJam(sig, 1); eP++; }
    return roundPack(signP, eP, sig, d, rm);
  }
  // Addend in the same form: X_C = sig << 63, in [2^125, 2^126).
  let cHi = uc.sig >> 1;
  let cLo = uc.sig << 63;
  const eC = uc.exp;
  let exp: i32;
  if (eP >= eC) {
    shiftRightJam128(cHi, cLo, eP - eC); cHi = r128Hi; cLo = r128Lo; exp = eP;
  } else {
    shiftRightJam128(pHi, pLo, eC - eP); pHi = r128Hi; pLo = r128Lo; exp = eC;
  }
  let hi: u64, lo: u64, sign: u32;
  if (signP == signC) {
    lo = pLo + cLo;
    hi = pHi + cHi + u64(lo < pLo);
    sign = signP;
  } else {
    const pBigger = pHi > cHi || (pHi == cHi && pLo >= cLo);
    if (pBigger) { hi = pHi - cHi - u64(pLo < cLo); lo = pLo - cLo; sign = signP; }
    else { hi = cHi - pHi - u64(cLo < pLo); lo = cLo - pLo; sign = signC; }
    if ((hi | lo) == 0) return packZero(zeroSumSign(rm), d);
  }
  // Normalize to bit 127, then keep 63 bits with the rest jammed: exponent moves by 2 - lz.
  const lz = hi != 0 ? <i32>clz(hi) : 64 + <i32>clz(lo);
  if (lz >= 64) { hi = lo << <u64>(lz - 64); lo = 0; }
  else if (lz > 0) { hi = (hi << <u64>lz) | (lo >> <u64>(64 - lz)); lo = lo << <u64>lz; }
  const sig = (hi >> 1) | u64(((hi & 1) | lo) != 0);
  return roundPack(sign, exp + 2 - lz, sig, d, rm);
}

// ---- conversions

/** Converts between formats: fromD selects the source format. */
export function sfConvert(a: u64, fromD: bool, rm: u32): u64 {
  const toD = !fromD;
  unpack(ua, a, fromD); ub.cls = CLS_ZERO; uc.cls = CLS_ZERO;
  if (ua.isNaN()) return nanResult(toD);
  if (ua.cls == CLS_INF) return packInf(ua.sign, toD);
  if (ua.cls == CLS_ZERO) return packZero(ua.sign, toD);
  return roundPack(ua.sign, ua.exp - expBias(fromD) + expBias(toD), ua.sig, toD, rm);
}

export const INT_W: u32 = 0;
export const INT_WU: u32 = 1;
export const INT_L: u32 = 2;
export const INT_LU: u32 = 3;

/** Integer result for NaN, overflow and infinities (spec 13.7 table 13.4), as the 64-bit register value. */
function saturate(neg: bool, kind: u32): u64 {
  if (kind == INT_W) return neg ? 0xffffffff80000000 : 0x7fffffff;
  if (kind == INT_WU) return neg ? 0 : 0xffffffffffffffff; // 2^32-1 sign-extended
  if (kind == INT_L) return neg ? 0x8000000000000000 : 0x7fffffffffffffff;
  return neg ? 0 : 0xffffffffffffffff;
}

/** FCVT.{W,WU,L,LU}.{S,D}: 32-bit results are sign-extended to 64 bits. */
export function sfToInt(a: u64, d: bool, kind: u32, rm: u32): u64 {
  unpack(ua, a, d);
  if (ua.isNaN()) { sfRaise(FFLAG_NV); return saturate(false, kind); }
  const neg = ua.sign != 0;
  if (ua.cls == CLS_INF) { sfRaise(FFLAG_NV); return saturate(neg, kind); }
  if (ua.cls == CLS_ZERO) return 0;
  const e = ua.exp - expBias(d); // value = sig / 2^62 * 2^e
  if (e >= 64) { sfRaise(FFLAG_NV); return saturate(neg, kind); }
  let mag: u64;
  let roundBits: u64 = 0;
  if (e >= 62) {
    mag = ua.sig << <u64>(e - 62);
  } else {
    let half: u64;
    let intPart: u64;
    const s = 62 - e;
    if (s <= 63) {
      intPart = ua.sig >> <u64>s;
      roundBits = ua.sig & ((<u64>1 << <u64>s) - 1);
      half = <u64>1 << <u64>(s - 1);
    } else { // below 1/4: only the sticky bit matters
      intPart = 0; roundBits = 1; half = 2;
    }
    let up: bool;
    if (rm == RM_RNE) up = roundBits > half || (roundBits == half && (intPart & 1) != 0);
    else if (rm == RM_RMM) up = roundBits >= half;
    else if (rm == RM_RTZ) up = false;
    else if (rm == RM_RDN) up = neg && roundBits != 0;
    else up = !neg && roundBits != 0;
    mag = intPart + u64(up);
  }
  let ok: bool;
  if (kind == INT_W) ok = neg ? mag <= 0x80000000 : mag <= 0x7fffffff;
  else if (kind == INT_WU) ok = neg ? mag == 0 : mag <= 0xffffffff;
  else if (kind == INT_L) ok = neg ? mag <= 0x8000000000000000 : mag <= 0x7fffffffffffffff;
  else ok = !neg || mag == 0;
  if (!ok) { sfRaise(FFLAG_NV); return saturate(neg, kind); }
  if (roundBits != 0) sfRaise(FFLAG_NX);
  const v = neg ? 0 - mag : mag;
  return kind <= INT_WU ? <u64><i64><i32><u32>v : v;
}

/** FCVT.{S,D}.{W,WU,L,LU}: x is the integer register value. */
export function sfFromInt(x: u64, kind: u32, d: bool, rm: u32): u64 {
  let neg = false;
  let mag: u64;
  if (kind == INT_W) { const v = <i64><i32><u32>x; neg = v < 0; mag = neg ? <u64>(0 - v) : <u64>v; }
  else if (kind == INT_WU) mag = x & 0xffffffff;
  else if (kind == INT_L) { neg = <i64>x < 0; mag = neg ? 0 - x : x; }
  else mag = x;
  if (mag == 0) return 0;
  const n = <i32>clz(mag);
  const sig = n == 0 ? shiftRightJam(mag, 1) : mag << <u64>(n - 1);
  return roundPack(u32(neg), 63 - n + expBias(d), sig, d, rm);
}

// ---- comparisons, min/max, classify (no rounding)

/** Total order key for non-NaN values with -0 == +0. */
@inline function orderKey(a: u64, d: bool): i64 {
  const m = <i64>magnitude(a, d);
  return signOf(a, d) != 0 ? -m : m;
}

/** FEQ (quiet: NV only for sNaN), FLT/FLE (signaling: NV for any NaN). op: 0 LE, 1 LT, 2 EQ. */
export function sfCompare(a: u64, b: u64, d: bool, op: u32): bool {
  const an = isNaN(a, d), bn = isNaN(b, d);
  if (an || bn) {
    if (op != 2 || isSNaN(a, d) || isSNaN(b, d)) sfRaise(FFLAG_NV);
    return false;
  }
  const ka = orderKey(a, d), kb = orderKey(b, d);
  if (op == 2) return ka == kb;
  if (op == 1) return ka < kb;
  return ka <= kb;
}

/** FMIN/FMAX (spec 13.6, 20191213: -0 < +0, a single NaN operand yields the other). */
export function sfMinMax(a: u64, b: u64, d: bool, isMax: bool): u64 {
  const an = isNaN(a, d), bn = isNaN(b, d);
  if (isSNaN(a, d) || isSNaN(b, d)) sfRaise(FFLAG_NV);
  if (an && bn) return canonicalNaN(d);
  if (an) return b;
  if (bn) return a;
  let ka = orderKey(a, d), kb = orderKey(b, d);
  if (ka == kb) { // equal values: only ±0 differ; order -0 below +0 by sign
    ka = -<i64>signOf(a, d); kb = -<i64>signOf(b, d);
  }
  return (ka < kb) != isMax ? a : b;
}

/** FCLASS bit index (spec 13.9 table 13.5). */
export function sfClassify(a: u64, d: bool): u64 {
  unpack(ua, a, d);
  const neg = ua.sign != 0;
  const f = fracBits(d);
  const e = <i32>((a >> <u64>f) & <u64>expAllOnes(d));
  let bit: i32;
  if (ua.cls == CLS_SNAN) bit = 8;
  else if (ua.cls == CLS_QNAN) bit = 9;
  else if (ua.cls == CLS_INF) bit = neg ? 0 : 7;
  else if (ua.cls == CLS_ZERO) bit = neg ? 3 : 4;
  else if (e == 0) bit = neg ? 2 : 5;
  else bit = neg ? 1 : 6;
  return <u64>1 << <u64>bit;
}
