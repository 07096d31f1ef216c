/*
 * Golden F/D test vectors from a reference RISC-V implementation.
 *
 * Executes every OP-FP and fused multiply-add instruction (fmt S and D) on
 * hand-picked edge cases and deterministic pseudo-random operands, in every
 * static rounding mode plus DYN, and prints what the hart computed.
 *
 * Regenerate (Debian: apt-get install gcc-riscv64-linux-gnu qemu-user):
 *   riscv64-linux-gnu-gcc -O2 -static -o /tmp/fpgen scripts/fpvectors/gen.c
 *   qemu-riscv64 /tmp/fpgen | gzip -9n > wasm/test/vectors/fpu-qemu.txt.gz
 * Replayed by wasm/test/fpu-vectors.test.ts.
 *
 * Each instruction is written into an executable buffer as
 *   <insn>; ret
 * with rd = f4 or x7, rs1 = f1 or x6, rs2 = f2, rs3 = f3, and called from
 * inline asm that loads raw register bits (so NaN boxing can be broken on
 * purpose), clears fflags, sets frm and reads back the result and fflags.
 *
 * Output, one vector per line, hex without 0x:
 *   insn frm rs1 rs2 rs3 result fflags
 * rs1 is an x register value when the instruction reads one (FCVT.fmt.int,
 * FMV.fmt.X); result is x7 when the instruction writes an x register, else f4
 * (64 bits, S results NaN-boxed). Unused operands are printed as "-".
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

typedef uint64_t u64;
typedef uint32_t u32;

static u32 *code;

static void set_insn(u32 insn) {
  code[0] = insn;
  code[1] = 0x00008067; /* ret */
  __builtin___clear_cache((char *)code, (char *)(code + 2));
}

static void run(u32 frm, u64 a, u64 b, u64 c, u64 x, u64 *fout, u64 *xout, u32 *flags) {
  u64 fr, xr;
  u32 fl;
  void *fn = code;
  __asm__ volatile(
      "fmv.d.x f1, %[a]\n\t"
      "fmv.d.x f2, %[b]\n\t"
      "fmv.d.x f3, %[c]\n\t"
      "fmv.d.x f4, zero\n\t"
      "mv t1, %[x]\n\t"
      "li t2, 0\n\t"
      "fsrm %[frm]\n\t"
      "fsflags zero\n\t"
      "jalr ra, 0(%[fn])\n\t"
      "frflags %[fl]\n\t"
      "fmv.x.d %[fr], f4\n\t"
      "mv %[xr], t2\n\t"
      : [fr] "=&r"(fr), [xr] "=&r"(xr), [fl] "=&r"(fl)
      : [a] "r"(a), [b] "r"(b), [c] "r"(c), [x] "r"(x), [frm] "r"(frm), [fn] "r"(fn)
      : "ra", "t1", "t2", "f1", "f2", "f3", "f4", "memory");
  *fout = fr;
  *xout = xr;
  *flags = fl;
}

/* ---- deterministic PRNG (xorshift64*) */
static u64 rng_state = 0x9e3779b97f4a7c15ull;
static u64 rnd(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545f4914f6cdd1dull;
}
static u64 rndn(u64 n) { return rnd() % n; }

/* ---- operand kinds */
enum { K_F, K_X, K_NONE };
#define BOX 0xffffffff00000000ull

static const u64 edgeD[] = {
    0x0000000000000000, 0x0000000000000001, 0x000fffffffffffff, 0x0010000000000000, 0x0010000000000001,
    0x3fe0000000000000, 0x3fdfffffffffffff, 0x3fe0000000000001, 0x3ff0000000000000, 0x3ff0000000000001,
    0x3fefffffffffffff, 0x3ff8000000000000, 0x4000000000000000, 0x4004000000000000, 0x4008000000000000,
    0x3fb999999999999a, 0x7fefffffffffffff, 0x7fe0000000000000, 0x7ff0000000000000, 0x41e0000000000000,
    0x41dfffffffc00000, 0x41dfffffffe00000, 0x41efffffffe00000, 0x41f0000000000000, 0x43e0000000000000,
    0x43dfffffffffffff, 0x43f0000000000000, 0x43efffffffffffff, 0x3ca0000000000000, 0x0008000000000000,
    0x7ff8000000000000, 0x7ff0000000000001, 0x7ff4000000000000, 0x7ffc000000000001,
};
static const u64 edgeS[] = {
    0x00000000, 0x00000001, 0x007fffff, 0x00800000, 0x00800001, 0x3f000000, 0x3effffff, 0x3f000001,
    0x3f800000, 0x3f800001, 0x3f7fffff, 0x3fc00000, 0x40000000, 0x40200000, 0x40400000, 0x3dcccccd,
    0x7f7fffff, 0x7f000000, 0x7f800000, 0x4f000000, 0x4effffff, 0x4f800000, 0x4f7fffff, 0x5f000000,
    0x5effffff, 0x5f800000, 0x5f7fffff, 0x33800000, 0x00400000, 0x7fc00000, 0x7f800001, 0x7fa00000,
    0x7fe00001,
};
#define NEDGE_D (sizeof edgeD / sizeof edgeD[0])
#define NEDGE_S (sizeof edgeS / sizeof edgeS[0])

/* Edge value i (both signs) as a register value; a few S values are deliberately not NaN-boxed. */
static int nedge(int d) { return 2 * (d ? NEDGE_D : NEDGE_S) + (d ? 0 : 3); }
static u64 edge(int d, int i) {
  if (d) return edgeD[i >> 1] ^ ((u64)(i & 1) << 63);
  int n = 2 * NEDGE_S;
  if (i == n) return 0x000000003f800000ull;     /* upper half zero: canonical NaN */
  if (i == n + 1) return 0xfffffffe3f800000ull; /* one bit missing */
  if (i == n + 2) return 0x7ff0000000000000ull; /* a double infinity */
  return BOX | (edgeS[i >> 1] ^ ((u64)(i & 1) << 31));
}

/* Pseudo-random float biased towards interesting exponents and fraction patterns. */
static u64 randFrac(int fbits) {
  u64 m = (1ull << fbits) - 1;
  switch (rndn(8)) {
  case 0: return 0;
  case 1: return m;
  case 2: return (rnd() & m) | 1;                         /* sticky low bit */
  case 3: return (1ull << rndn(fbits));                   /* single bit */
  case 4: return m ^ (1ull << rndn(fbits));               /* all but one */
  case 5: return (rnd() & m) >> rndn(fbits);              /* leading zeros */
  case 6: return ((rnd() & m) >> 3) << 3 | 4;             /* ...100: halfway-ish */
  default: return rnd() & m;
  }
}
static u64 randFloatExp(int d, int exp) {
  int fbits = d ? 52 : 23, emax = d ? 0x7ff : 0xff;
  if (exp < 0) exp = 0;
  if (exp > emax - 1) exp = emax - 1;
  u64 v = ((u64)exp << fbits) | randFrac(fbits);
  if (rnd() & 1) v |= 1ull << (d ? 63 : 31);
  return d ? v : (BOX | v);
}
static int randExp(int d) {
  int bias = d ? 1023 : 127, emax = d ? 0x7ff : 0xff, p = d ? 53 : 24;
  switch (rndn(12)) {
  case 0: return 0;                                /* subnormal / zero */
  case 1: return 1 + rndn(3);                      /* smallest normals */
  case 2: return emax - 1 - rndn(3);               /* largest */
  case 3: return rndn(emax);                       /* anywhere */
  case 4: return bias - p - 2 + rndn(2 * p + 4);   /* integer/fraction boundary */
  case 5: return bias + 28 + rndn(40);             /* around 2^31..2^64 */
  default: return bias - 20 + rndn(40);
  }
}
static u64 randFloat(int d) {
  if (rndn(40) == 0) return edge(d, rndn(nedge(d)));
  return randFloatExp(d, randExp(d));
}
static int expOf(int d, u64 v) { return d ? (int)((v >> 52) & 0x7ff) : (int)((v >> 23) & 0xff); }
/* A second operand close in exponent to the first (cancellation, ties). */
static u64 randNear(int d, u64 a) {
  int p = d ? 53 : 24;
  int e = expOf(d, a);
  switch (rndn(4)) {
  case 0: return randFloatExp(d, e);
  case 1: return randFloatExp(d, e + (int)rndn(5) - 2);
  case 2: return randFloatExp(d, e + (int)rndn(2 * p + 6) - p - 3);
  default: return randFloat(d);
  }
}
static u64 randInt(void) {
  static const u64 ie[] = {0, 1, 2, 3, ~0ull, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull, 0xffffffff80000000ull,
                           0xffffffff7fffffffull, 0x7fffffffffffffffull, 0x8000000000000000ull, 0x20000000000001ull,
                           0x1000001, 0xffffff, 0x1234567880000001ull, 0xfffffffffffffffeull, 0x8000000000000001ull};
  if (rndn(8) == 0) return ie[rndn(sizeof ie / sizeof ie[0])];
  u64 v = rnd() >> rndn(64);
  if (rndn(4) == 0) v |= 0xffull << rndn(56);
  if (rndn(3) == 0) v = -v;
  return v;
}
/* The addend for a fused op: often close to -(a*b) to exercise cancellation. */
static u64 randAddend(int d, u64 a, u64 b) {
  if (rndn(3) == 0) return randFloat(d);
  u64 p;
  if (d) {
    double x, y, z;
    memcpy(&x, &a, 8); memcpy(&y, &b, 8);
    z = -(x * y);
    memcpy(&p, &z, 8);
    if (rndn(2)) p ^= rndn(4);
  } else {
    float x, y, z;
    u32 ua = (u32)a, ub = (u32)b, uz;
    memcpy(&x, &ua, 4); memcpy(&y, &ub, 4);
    z = -(x * y);
    memcpy(&uz, &z, 4);
    if (rndn(2)) uz ^= rndn(4);
    p = BOX | uz;
  }
  if (rndn(3) == 0) return randNear(d, p);
  return p;
}

/* ---- instruction table */
typedef struct {
  const char *name;
  u32 base;    /* funct7/rs2/funct3/opcode with register fields zero */
  int usesRm;  /* rm in funct3 */
  int fmtD;    /* operand format (the source format for conversions) */
  int k1, k2, k3; /* operand kinds */
  int resX;    /* result in x7 */
  int ncases;  /* random cases per rounding mode */
} Op;

#define R(f7, rs2, f3) (((u32)(f7) << 25) | ((u32)(rs2) << 20) | ((u32)(f3) << 12) | 0x53)
#define R4(opc, fmt) (((u32)(fmt) << 25) | (opc))

static const Op ops[] = {
    {"fadd.s", R(0x00, 0, 0), 1, 0, K_F, K_F, K_NONE, 0, 300},
    {"fsub.s", R(0x04, 0, 0), 1, 0, K_F, K_F, K_NONE, 0, 150},
    {"fmul.s", R(0x08, 0, 0), 1, 0, K_F, K_F, K_NONE, 0, 300},
    {"fdiv.s", R(0x0c, 0, 0), 1, 0, K_F, K_F, K_NONE, 0, 300},
    {"fsqrt.s", R(0x2c, 0, 0), 1, 0, K_F, K_NONE, K_NONE, 0, 300},
    {"fadd.d", R(0x01, 0, 0), 1, 1, K_F, K_F, K_NONE, 0, 300},
    {"fsub.d", R(0x05, 0, 0), 1, 1, K_F, K_F, K_NONE, 0, 150},
    {"fmul.d", R(0x09, 0, 0), 1, 1, K_F, K_F, K_NONE, 0, 300},
    {"fdiv.d", R(0x0d, 0, 0), 1, 1, K_F, K_F, K_NONE, 0, 300},
    {"fsqrt.d", R(0x2d, 0, 0), 1, 1, K_F, K_NONE, K_NONE, 0, 300},
    {"fsgnj.s", R(0x10, 0, 0), 0, 0, K_F, K_F, K_NONE, 0, 40},
    {"fsgnjn.s", R(0x10, 0, 1), 0, 0, K_F, K_F, K_NONE, 0, 40},
    {"fsgnjx.s", R(0x10, 0, 2), 0, 0, K_F, K_F, K_NONE, 0, 40},
    {"fsgnj.d", R(0x11, 0, 0), 0, 1, K_F, K_F, K_NONE, 0, 40},
    {"fsgnjn.d", R(0x11, 0, 1), 0, 1, K_F, K_F, K_NONE, 0, 40},
    {"fsgnjx.d", R(0x11, 0, 2), 0, 1, K_F, K_F, K_NONE, 0, 40},
    {"fmin.s", R(0x14, 0, 0), 0, 0, K_F, K_F, K_NONE, 0, 200},
    {"fmax.s", R(0x14, 0, 1), 0, 0, K_F, K_F, K_NONE, 0, 200},
    {"fmin.d", R(0x15, 0, 0), 0, 1, K_F, K_F, K_NONE, 0, 200},
    {"fmax.d", R(0x15, 0, 1), 0, 1, K_F, K_F, K_NONE, 0, 200},
    {"fle.s", R(0x50, 0, 0), 0, 0, K_F, K_F, K_NONE, 1, 200},
    {"flt.s", R(0x50, 0, 1), 0, 0, K_F, K_F, K_NONE, 1, 200},
    {"feq.s", R(0x50, 0, 2), 0, 0, K_F, K_F, K_NONE, 1, 200},
    {"fle.d", R(0x51, 0, 0), 0, 1, K_F, K_F, K_NONE, 1, 200},
    {"flt.d", R(0x51, 0, 1), 0, 1, K_F, K_F, K_NONE, 1, 200},
    {"feq.d", R(0x51, 0, 2), 0, 1, K_F, K_F, K_NONE, 1, 200},
    {"fcvt.s.d", R(0x20, 1, 0), 1, 1, K_F, K_NONE, K_NONE, 0, 400},
    {"fcvt.d.s", R(0x21, 0, 0), 1, 0, K_F, K_NONE, K_NONE, 0, 100},
    {"fcvt.w.s", R(0x60, 0, 0), 1, 0, K_F, K_NONE, K_NONE, 1, 300},
    {"fcvt.wu.s", R(0x60, 1, 0), 1, 0, K_F, K_NONE, K_NONE, 1, 300},
    {"fcvt.l.s", R(0x60, 2, 0), 1, 0, K_F, K_NONE, K_NONE, 1, 300},
    {"fcvt.lu.s", R(0x60, 3, 0), 1, 0, K_F, K_NONE, K_NONE, 1, 300},
    {"fcvt.w.d", R(0x61, 0, 0), 1, 1, K_F, K_NONE, K_NONE, 1, 300},
    {"fcvt.wu.d", R(0x61, 1, 0), 1, 1, K_F, K_NONE, K_NONE, 1, 300},
    {"fcvt.l.d", R(0x61, 2, 0), 1, 1, K_F, K_NONE, K_NONE, 1, 300},
    {"fcvt.lu.d", R(0x61, 3, 0), 1, 1, K_F, K_NONE, K_NONE, 1, 300},
    {"fcvt.s.w", R(0x68, 0, 0), 1, 0, K_X, K_NONE, K_NONE, 0, 200},
    {"fcvt.s.wu", R(0x68, 1, 0), 1, 0, K_X, K_NONE, K_NONE, 0, 200},
    {"fcvt.s.l", R(0x68, 2, 0), 1, 0, K_X, K_NONE, K_NONE, 0, 200},
    {"fcvt.s.lu", R(0x68, 3, 0), 1, 0, K_X, K_NONE, K_NONE, 0, 200},
    {"fcvt.d.w", R(0x69, 0, 0), 1, 1, K_X, K_NONE, K_NONE, 0, 50},
    {"fcvt.d.wu", R(0x69, 1, 0), 1, 1, K_X, K_NONE, K_NONE, 0, 50},
    {"fcvt.d.l", R(0x69, 2, 0), 1, 1, K_X, K_NONE, K_NONE, 0, 200},
    {"fcvt.d.lu", R(0x69, 3, 0), 1, 1, K_X, K_NONE, K_NONE, 0, 200},
    {"fmv.x.w", R(0x70, 0, 0), 0, 0, K_F, K_NONE, K_NONE, 1, 20},
    {"fclass.s", R(0x70, 0, 1), 0, 0, K_F, K_NONE, K_NONE, 1, 40},
    {"fmv.x.d", R(0x71, 0, 0), 0, 1, K_F, K_NONE, K_NONE, 1, 20},
    {"fclass.d", R(0x71, 0, 1), 0, 1, K_F, K_NONE, K_NONE, 1, 40},
    {"fmv.w.x", R(0x78, 0, 0), 0, 0, K_X, K_NONE, K_NONE, 0, 20},
    {"fmv.d.x", R(0x79, 0, 0), 0, 1, K_X, K_NONE, K_NONE, 0, 20},
    {"fmadd.s", R4(0x43, 0), 1, 0, K_F, K_F, K_F, 0, 600},
    {"fmsub.s", R4(0x47, 0), 1, 0, K_F, K_F, K_F, 0, 300},
    {"fnmsub.s", R4(0x4b, 0), 1, 0, K_F, K_F, K_F, 0, 300},
    {"fnmadd.s", R4(0x4f, 0), 1, 0, K_F, K_F, K_F, 0, 300},
    {"fmadd.d", R4(0x43, 1), 1, 1, K_F, K_F, K_F, 0, 600},
    {"fmsub.d", R4(0x47, 1), 1, 1, K_F, K_F, K_F, 0, 300},
    {"fnmsub.d", R4(0x4b, 1), 1, 1, K_F, K_F, K_F, 0, 300},
    {"fnmadd.d", R4(0x4f, 1), 1, 1, K_F, K_F, K_F, 0, 300},
};

static u32 encode(const Op *op, u32 rm) {
  u32 insn = op->base | (rm << 12);
  insn |= (op->resX ? 7u : 4u) << 7;
  insn |= (op->k1 == K_X ? 6u : 1u) << 15;
  if (op->k2 == K_F) insn |= 2u << 20;
  if (op->k3 == K_F) insn |= 3u << 27;
  return insn;
}

static long count;

static void emit(const Op *op, u32 insn, u32 frm, u64 a, u64 b, u64 c) {
  u64 fr, xr;
  u32 fl;
  run(frm, a, b, c, a, &fr, &xr, &fl);
  printf("%x %x %llx", insn, frm, (unsigned long long)a);
  if (op->k2 == K_NONE) printf(" -"); else printf(" %llx", (unsigned long long)b);
  if (op->k3 == K_NONE) printf(" -"); else printf(" %llx", (unsigned long long)c);
  printf(" %llx %x\n", (unsigned long long)(op->resX ? xr : fr), fl);
  count++;
}

/* The cases for one instruction under one rounding mode. */
static void cases(const Op *op, u32 rm, u32 frm, int nrand) {
  int d = op->fmtD;
  u32 insn = encode(op, rm);
  set_insn(insn);
  int n = nedge(d);
  if (op->k1 == K_X) {
    static const u64 ie[] = {0, 1, 2, 3, ~0ull, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
                             0xffffffff80000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull,
                             0x20000000000001ull, 0x1000001, 0x1000003, 0xffffff, 0x7fffffc0, 0x7fffffbf,
                             0x1234567880000001ull, 0xfffffffffffffffeull, 0x8000000000000001ull,
                             0xfffffffffffff800ull, 0xfffffffffffffc00ull, 0x8000000000000400ull};
    for (unsigned i = 0; i < sizeof ie / sizeof ie[0]; i++) emit(op, insn, frm, ie[i], 0, 0);
    for (int i = 0; i < nrand; i++) emit(op, insn, frm, randInt(), 0, 0);
    return;
  }
  if (op->k2 == K_NONE) {
    for (int i = 0; i < n; i++) emit(op, insn, frm, edge(d, i), 0, 0);
    for (int i = 0; i < nrand; i++) emit(op, insn, frm, randFloat(d), 0, 0);
    return;
  }
  if (op->k3 == K_NONE) {
    /* all edge pairs once (under RNE and RTZ); a sample of them otherwise */
    for (int i = 0; i < n; i++)
      for (int j = 0; j < n; j++)
        if (!op->usesRm || rm <= 1 || rndn(6) == 0) emit(op, insn, frm, edge(d, i), edge(d, j), 0);
    for (int i = 0; i < nrand; i++) {
      u64 a = randFloat(d);
      emit(op, insn, frm, a, rndn(2) ? randNear(d, a) : randFloat(d), 0);
    }
    return;
  }
  /* fused: a sample of edge triples and random triples */
  for (int i = 0; i < 150; i++) emit(op, insn, frm, edge(d, rndn(n)), edge(d, rndn(n)), edge(d, rndn(n)));
  for (int i = 0; i < nrand; i++) {
    u64 a = rndn(8) ? randFloat(d) : edge(d, rndn(n));
    u64 b = randFloat(d);
    emit(op, insn, frm, a, b, randAddend(d, a, b));
  }
}

int main(void) {
  code = mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (code == MAP_FAILED) { perror("mmap"); return 1; }
  for (unsigned k = 0; k < sizeof ops / sizeof ops[0]; k++) {
    const Op *op = &ops[k];
    if (!op->usesRm) { cases(op, 0, 0, op->ncases); continue; }
    for (u32 rm = 0; rm <= 4; rm++) cases(op, rm, 0, op->ncases);
    /* DYN: the rounding mode comes from frm */
    for (u32 frm = 0; frm <= 4; frm++) cases(op, 7, frm, op->ncases / 10);
  }
  /* fused ops on every triple of special values (inf * 0 + qNaN must raise NV) */
  static const u64 specD[] = {0, 1ull << 63, 0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull,
                              0x7ff0000000000001ull, 0x3ff0000000000000ull, 0x7fefffffffffffffull, 1};
  static const u64 specS[] = {BOX, BOX | 0x80000000, BOX | 0x7f800000, BOX | 0xff800000, BOX | 0x7fc00000,
                              BOX | 0x7f800001, BOX | 0x3f800000, BOX | 0x7f7fffff, BOX | 1};
  for (unsigned k = 0; k < sizeof ops / sizeof ops[0]; k++) {
    const Op *op = &ops[k];
    if (op->k3 != K_F) continue;
    const u64 *sp = op->fmtD ? specD : specS;
    u32 insn = encode(op, 0);
    set_insn(insn);
    for (int i = 0; i < 9; i++)
      for (int j = 0; j < 9; j++)
        for (int l = 0; l < 9; l++) emit(op, insn, 0, sp[i], sp[j], sp[l]);
  }
  fprintf(stderr, "%ld vectors\n", count);
  return 0;
}
