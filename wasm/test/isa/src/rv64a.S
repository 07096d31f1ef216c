// A extension: LR/SC success and failure, every AMO in W and D width
// (old value returned, sign extension of W results, signed vs unsigned
// min/max), and misaligned AMO / LR / SC -> address-misaligned traps.
#include "test.h"

// AMO test: mem = init; rd = amo(mem, v); check rd == old and mem == new.
#define AMO_D(n, op, init, v, expect_mem) \
  la s0, amo_word; li a1, init; sd a1, 0(s0); li a2, v; op a4, a2, (s0); \
  CHECK(n, a4, init); ld a5, 0(s0); CHECK(n, a5, expect_mem)
#define AMO_W(n, op, init, v, expect_old, expect_mem) \
  la s0, amo_word; li a1, init; sw a1, 0(s0); li a2, v; op a4, a2, (s0); \
  CHECK(n, a4, expect_old); lwu a5, 0(s0); CHECK(n, a5, expect_mem)

  .text
  .globl main
main:
  AMO_D(1, amoswap.d, 0x1111111122222222, 0x3333333344444444, 0x3333333344444444)
  AMO_D(2, amoadd.d, 0x7fffffffffffffff, 1, 0x8000000000000000)
  AMO_D(3, amoxor.d, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xf0f0f0f0f0f0f0f0)
  AMO_D(4, amoand.d, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0x0f000f000f000f00)
  AMO_D(5, amoor.d, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xfff0fff0fff0fff0)
  AMO_D(6, amomin.d, -5, 3, -5)
  AMO_D(7, amomax.d, -5, 3, 3)
  AMO_D(8, amominu.d, -5, 3, 3)
  AMO_D(9, amomaxu.d, -5, 3, -5)
  AMO_D(10, amomin.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000)
  AMO_D(11, amomaxu.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000)
  AMO_D(12, amoadd.d.aqrl, 5, -6, -1)

  AMO_W(20, amoswap.w, 0x80000000, 0x12345678, 0xffffffff80000000, 0x12345678)
  AMO_W(21, amoadd.w, 0x7fffffff, 1, 0x7fffffff, 0x80000000)
  AMO_W(22, amoadd.w, 0xffffffff, 0x100000001, 0xffffffffffffffff, 0)  // upper half of rs2 ignored
  AMO_W(23, amoxor.w, 0xff00ff00, 0x0ff00ff0, 0xffffffffff00ff00, 0xf0f0f0f0)
  AMO_W(24, amoand.w, 0xff00ff00, 0x0ff00ff0, 0xffffffffff00ff00, 0x0f000f00)
  AMO_W(25, amoor.w, 0x0000ff00, 0x0ff00ff0, 0xff00, 0x0ff0fff0)
  AMO_W(26, amomin.w, 0xfffffffb, 3, -5, 0xfffffffb)
  AMO_W(27, amomax.w, 0xfffffffb, 3, -5, 3)
  AMO_W(28, amominu.w, 0xfffffffb, 3, -5, 3)
  AMO_W(29, amomaxu.w, 0xfffffffb, 3, -5, 0xfffffffb)
  AMO_W(30, amomin.w, 0x80000000, 0xffffffff7fffffff, 0xffffffff80000000, 0x80000000) // compares 32-bit values
  AMO_W(31, amomaxu.w, 1, 0x1ffffffff, 1, 0xffffffff)
  // the other half of the doubleword is untouched
  la s0, amo_word
  li a1, 0x5555555566666666
  sd a1, 0(s0)
  li a2, 1
  amoadd.w a4, a2, (s0)
  ld a5, 0(s0)
  CHECK(32, a5, 0x5555555566666667)
  addi s1, s0, 4
  amoswap.w a4, zero, (s1)
  ld a5, 0(s0)
  CHECK(33, a5, 0x0000000066666667)
  CHECK(34, a4, 0x55555555)

  // LR/SC: success writes and returns 0
  la s0, amo_word
  li a1, 100
  sd a1, 0(s0)
  lr.d a4, (s0)
  CHECK(40, a4, 100)
  addi a4, a4, 1
  sc.d a5, a4, (s0)
  CHECK(41, a5, 0)
  ld a4, 0(s0)
  CHECK(42, a4, 101)
  // SC without a reservation fails and does not write
  li a1, 7
  sc.d a5, a1, (s0)
  CHECK(43, a5, 1)
  ld a4, 0(s0)
  CHECK(44, a4, 101)
  // SC after another SC fails (the first one consumed the reservation)
  lr.d a4, (s0)
  sc.d a5, a4, (s0)
  CHECK(45, a5, 0)
  sc.d a5, a1, (s0)
  CHECK(46, a5, 1)
  // SC to a different address than the reservation fails
  lr.d a4, (s0)
  addi s1, s0, 8
  sc.d a5, a1, (s1)
  CHECK(47, a5, 1)
  ld a4, 8(s0)
  CHECK(48, a4, 0)
  // W forms: LR.W sign-extends
  li a1, 0x80000001
  sw a1, 0(s0)
  lr.w a4, (s0)
  CHECK(49, a4, 0xffffffff80000001)
  li a1, 0x1234
  sc.w a5, a1, (s0)
  CHECK(50, a5, 0)
  lwu a4, 0(s0)
  CHECK(51, a4, 0x1234)
  // a trap between LR and SC clears the reservation
  lr.w a4, (s0)
  ecall
  sc.w a5, a1, (s0)
  CHECK(52, a5, 1)

  // misaligned AMOs trap: store/AMO address misaligned (6), LR: load address misaligned (4)
  CLEAR_TRAP
  addi s1, s0, 4
  amoadd.d a4, a1, (s1)
  CHECK_TRAP(60, TR_CAUSE, 6)
  la t5, trap_area
  ld t5, TR_TVAL(t5)
  li gp, 61
  bne t5, s1, fail
  j 1f
1:
  CLEAR_TRAP
  addi s1, s0, 2
  li a4, 0x77
  amoswap.w a4, a1, (s1)
  CHECK_TRAP(62, TR_CAUSE, 6)
  CHECK(63, a4, 0x77)          // rd not written
  CLEAR_TRAP
  addi s1, s0, 1
  lr.w a4, (s1)
  CHECK_TRAP(64, TR_CAUSE, 4)
  CLEAR_TRAP
  addi s1, s0, 4
  sc.d a4, a1, (s1)
  CHECK_TRAP(65, TR_CAUSE, 6)
  CHECK_TRAP(66, TR_COUNT, 1)
  j pass

  .data
  .align 4
amo_word: .dword 0, 0
