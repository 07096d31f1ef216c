// F/D through the CPU: FS = off -> illegal (mtval = bits), loads/stores of
// both widths (also misaligned), NaN-boxing of FLW and FMV.W.X, FS becoming
// dirty, a few arithmetic ops, flags and conversions.
#include "test.h"
  .text
  .globl main
main:
  la s0, fdata
  li t0, MSTATUS_FS
  csrc mstatus, t0
  CLEAR_TRAP
1: flw fa0, 0(s0)
  CHECK_TRAP(1, TR_CAUSE, CAUSE_ILLEGAL)
  la t5, 1b
  lwu t6, 0(t5)
  la t5, trap_area
  ld t5, TR_TVAL(t5)
  li gp, 2
  bne t5, t6, fail
  CLEAR_TRAP
  fadd.d fa0, fa1, fa2
  CHECK_TRAP(3, TR_CAUSE, CAUSE_ILLEGAL)
  li t0, 1 << 13            // FS = initial
  csrs mstatus, t0
  csrr a0, mstatus
  srli a0, a0, 13
  andi a0, a0, 3
  CHECK(4, a0, 1)
  // FLW NaN-boxes: upper 32 bits all ones; FS becomes dirty
  flw fa0, 0(s0)
  fmv.x.d a0, fa0
  CHECK(5, a0, 0xffffffff3fc00000)
  csrr a0, mstatus
  srli a0, a0, 13
  andi a0, a0, 3
  CHECK(6, a0, 3)
  fld fa1, 8(s0)
  fmv.x.d a0, fa1
  CHECK(7, a0, 0x4002000000000000)
  // FSW stores the low 32 bits, FSD all 64
  fsw fa0, 16(s0)
  lwu a0, 16(s0)
  CHECK(8, a0, 0x3fc00000)
  fsd fa1, 24(s0)
  ld a0, 24(s0)
  CHECK(9, a0, 0x4002000000000000)
  // misaligned FP loads and stores work like integer ones
  fsd fa1, 33(s0)
  fld fa2, 33(s0)
  fmv.x.d a0, fa2
  CHECK(10, a0, 0x4002000000000000)
  fsw fa0, 45(s0)
  flw fa2, 45(s0)
  fmv.x.w a0, fa2
  CHECK(11, a0, 0x3fc00000)
  // FMV.W.X NaN-boxes, FMV.X.W sign-extends
  li a1, 0x12345678bf800000
  fmv.w.x fa3, a1
  fmv.x.d a0, fa3
  CHECK(12, a0, 0xffffffffbf800000)
  fmv.x.w a0, fa3
  CHECK(13, a0, 0xffffffffbf800000)
  // a single-precision op on a value that is not NaN-boxed sees the canonical NaN
  li a1, 0x000000003f800000
  fmv.d.x fa4, a1
  fadd.s fa5, fa4, fa0
  fmv.x.w a0, fa5
  CHECK(14, a0, 0x7fc00000)
  // arithmetic: 1.5f + 1.5f = 3.0f; 2.25 * 2.0 = 4.5; sqrt(2.25) = 1.5
  fadd.s fa5, fa0, fa0
  fmv.x.w a0, fa5
  CHECK(15, a0, 0x40400000)
  li a1, 0x4000000000000000
  fmv.d.x fa6, a1
  fmul.d fa5, fa1, fa6
  fmv.x.d a0, fa5
  CHECK(16, a0, 0x4012000000000000)
  fsqrt.d fa5, fa1
  fmv.x.d a0, fa5
  CHECK(17, a0, 0x3ff8000000000000)
  // flags: 1/0 -> +inf with DZ; conversions round toward zero with RTZ
  csrw fflags, zero
  fmv.d.x fa7, zero
  fdiv.d fa5, fa1, fa7
  fmv.x.d a0, fa5
  CHECK(18, a0, 0x7ff0000000000000)
  csrr a0, fflags
  CHECK(19, a0, 8)
  fcvt.w.d a0, fa1, rtz
  CHECK(20, a0, 2)
  fcvt.l.d a0, fa1, rup
  CHECK(21, a0, 3)
  li a1, -7
  fcvt.d.l fa5, a1
  fmv.x.d a0, fa5
  CHECK(22, a0, 0xc01c000000000000)
  feq.d a0, fa1, fa1
  CHECK(23, a0, 1)
  flt.d a0, fa1, fa6
  CHECK(24, a0, 0)
  fmadd.d fa5, fa1, fa6, fa1        // 2.25 * 2 + 2.25 = 6.75
  fmv.x.d a0, fa5
  CHECK(25, a0, 0x401b000000000000)
  // FS = off again: even FMV and FSD are illegal
  li t0, MSTATUS_FS
  csrc mstatus, t0
  CLEAR_TRAP
  fsd fa1, 0(s0)
  CHECK_TRAP(26, TR_CAUSE, CAUSE_ILLEGAL)
  CLEAR_TRAP
  fmv.x.d a0, fa1
  CHECK_TRAP(27, TR_CAUSE, CAUSE_ILLEGAL)
  j pass

  .data
  .align 4
fdata:
  .word 0x3fc00000, 0       // 1.5f
  .dword 0x4002000000000000 // 2.25
  .skip 64
