// RV64I: every base instruction, with edge cases (shift amounts 0/31/32/63,
// sign extension of the W forms, signed vs unsigned compares, x0 as rd).
#include "test.h"
  .text
  .globl main
main:
  // ADD / SUB / ADDI with wrap-around
  TEST_RR(1, add, 0x0000000000000003, 1, 2)
  TEST_RR(2, add, 0x8000000000000000, 0x7fffffffffffffff, 1)
  TEST_RR(3, add, 0, -1, 1)
  TEST_RR(4, sub, 0x7fffffffffffffff, 0x8000000000000000, 1)
  TEST_RR(5, sub, -1, 0, 1)
  TEST_RI(6, addi, 0x7ff, 0, 2047)
  TEST_RI(7, addi, -2048, 0, -2048)
  TEST_RI(8, addi, 0x7fffffffffffffff, 0x8000000000000000, -1)
  // logic
  TEST_RR(10, and, 0x0f000f00, 0xff00ff00, 0x0f0f0f0f)
  TEST_RR(11, or, 0xff0fff0f, 0xff00ff00, 0x0f0f0f0f)
  TEST_RR(12, xor, 0xf00ff00f, 0xff00ff00, 0x0f0f0f0f)
  TEST_RI(13, andi, 0xff00ff00, 0xff00ff00, -1)
  TEST_RI(14, ori, 0xfffffffffffff8ff, 0x00ff00ff, -0x7f1)
  TEST_RI(15, xori, 0xffffffffff00f00f, 0x00ff0ff0, -0x1)
  TEST_RI(16, andi, 0xf0, 0xff0f0f0, 0x0ff)
  // shifts
  TEST_RR(20, sll, 0x8000000000000000, 1, 63)
  TEST_RR(21, sll, 1, 1, 64)             // shift amount is rs2[5:0]
  TEST_RR(22, sll, 0x100000000, 1, 32)
  TEST_RR(23, srl, 1, 0x8000000000000000, 63)
  TEST_RR(24, srl, 0x8000000000000000, 0x8000000000000000, 0)
  TEST_RR(25, sra, -1, 0x8000000000000000, 63)
  TEST_RR(26, sra, 0xffffffffc0000000, 0x8000000000000000, 33)
  TEST_RR(27, sra, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffc0) // amount 0
  TEST_RI(28, slli, 0x8000000000000000, 1, 63)
  TEST_RI(29, srli, 1, 0x8000000000000000, 63)
  TEST_RI(30, srai, -1, 0x8000000000000000, 63)
  TEST_RI(31, srai, 0x7fffffff, 0x7fffffff00000000, 32)
  // compares
  TEST_RR(40, slt, 1, -1, 0)
  TEST_RR(41, slt, 0, 0, -1)
  TEST_RR(42, sltu, 0, -1, 0)
  TEST_RR(43, sltu, 1, 0, -1)
  TEST_RR(44, slt, 0, 5, 5)
  TEST_RI(45, slti, 1, 0x8000000000000000, 0)
  TEST_RI(46, sltiu, 1, 0, -1)            // immediate sign-extended, compared unsigned
  TEST_RI(47, sltiu, 0, -1, -1)
  TEST_RI(48, sltiu, 1, 0, 1)             // seqz
  // W forms: 32-bit result sign-extended
  TEST_RR(50, addw, 0xffffffff80000000, 0x7fffffff, 1)
  TEST_RR(51, addw, 0, 0xffffffff, 1)
  TEST_RR(52, addw, 0x0000000012345678, 0xabcdef0012345678, 0)
  TEST_RR(53, subw, 0x000000007fffffff, 0x80000000, 1)
  TEST_RI(54, addiw, 0xffffffff80000000, 0x7fffffff, 1)
  TEST_RI(55, addiw, 0xffffffffffffffff, 0x1ffffffff, 0) // sext.w
  TEST_RR(56, sllw, 0xffffffff80000000, 1, 31)
  TEST_RR(57, sllw, 1, 1, 32)             // amount is rs2[4:0]
  TEST_RR(58, srlw, 1, 0xffffffff80000000, 31)
  TEST_RR(59, srlw, 0xffffffff80000000, 0x80000000, 0)
  TEST_RR(60, sraw, -1, 0x80000000, 31)
  TEST_RR(61, sraw, 0xfffffffff8000000, 0x80000000, 4)
  TEST_RI(62, slliw, 0xffffffff80000000, 0x1, 31)
  TEST_RI(63, srliw, 0x7fffffff, 0xfffffffffffffffe, 1)
  TEST_RI(64, sraiw, 0xffffffffffffffff, 0x0000000080000000, 31)
  TEST_RI(65, sraiw, 0x12345678, 0xffffffff12345678, 0)
  TEST_RI(66, srliw, 0, 0x7fffffff, 31)
  // LUI / AUIPC
  lui a4, 0x80000
  CHECK(70, a4, 0xffffffff80000000)
  lui a4, 0x7ffff
  CHECK(71, a4, 0x7ffff000)
1:
  auipc a4, 0
  la a5, 1b
  li gp, 72
  bne a4, a5, fail
2:
  auipc a4, 0x80000
  la a5, 2b
  sub a4, a4, a5
  CHECK(73, a4, 0xffffffff80000000)
  // x0 is hard-wired
  li a1, 5
  add x0, a1, a1
  CHECK(74, x0, 0)
  // branches: taken and not taken, signed and unsigned
  li a1, -1
  li a2, 1
  li gp, 80
  beq a1, a2, fail
  bne a1, a1, fail
  blt a2, a1, fail
  bge a1, a2, fail
  bltu a1, a2, fail
  bgeu a2, a1, fail
  li gp, 81
  blt a1, a2, 1f
  j fail
1: bge a2, a1, 1f
  j fail
1: bltu a2, a1, 1f
  j fail
1: bgeu a1, a2, 1f
  j fail
1: bge a1, a1, 1f
  j fail
1: bgeu a1, a1, 1f
  j fail
1: beq a1, a1, 1f
  j fail
1: bne a1, a2, 1f
  j fail
1:
  // JAL / JALR: link value, target with bit 0 cleared, rd == rs1
  jal a4, 1f
2: j fail
1: la a5, 2b
  li gp, 82
  bne a4, a5, fail
  la a1, 1f
  addi a1, a1, 1          // bit 0 of the target is ignored
  jalr a4, 0(a1)
3: j fail
1: la a5, 3b
  li gp, 83
  bne a4, a5, fail
  la a1, 1f - 4
  jalr a1, 4(a1)          // rd == rs1: target uses the old value
4: j fail
1: la a5, 4b
  li gp, 84
  bne a1, a5, fail
  // loads and stores of every width, sign and zero extension
  la s0, buf
  li a1, 0x8182838485868788
  sd a1, 0(s0)
  lb a4, 0(s0)
  CHECK(90, a4, 0xffffffffffffff88)
  lbu a4, 0(s0)
  CHECK(91, a4, 0x88)
  lh a4, 6(s0)
  CHECK(92, a4, 0xffffffffffff8182)
  lhu a4, 6(s0)
  CHECK(93, a4, 0x8182)
  lw a4, 4(s0)
  CHECK(94, a4, 0xffffffff81828384)
  lwu a4, 4(s0)
  CHECK(95, a4, 0x81828384)
  ld a4, 0(s0)
  CHECK(96, a4, 0x8182838485868788)
  li a1, 0x1122334455667788
  sb a1, 8(s0)
  sh a1, 10(s0)
  sw a1, 12(s0)
  ld a4, 8(s0)
  CHECK(97, a4, 0x5566778877880088)
  sd a1, 16(s0)
  ld a4, 16(s0)
  CHECK(98, a4, 0x1122334455667788)
  addi s1, s0, 32
  sw a1, -4(s1)           // negative offsets
  lw a4, -4(s1)
  CHECK(99, a4, 0x55667788)
  // loads into x0 are discarded
  ld x0, 0(s0)
  CHECK(100, x0, 0)
  // misaligned loads and stores within a page (handled by the machine, no trap)
  CLEAR_TRAP
  li a1, 0x0102030405060708
  sd a1, 33(s0)
  ld a4, 33(s0)
  CHECK(110, a4, 0x0102030405060708)
  lw a4, 35(s0)
  CHECK(111, a4, 0x03040506)
  lh a4, 37(s0)
  CHECK(112, a4, 0x0304)
  lhu a4, 39(s0)
  CHECK(113, a4, 0x0102)
  sw a1, 49(s0)
  lwu a4, 49(s0)
  CHECK(114, a4, 0x05060708)
  sh a1, 55(s0)
  lh a4, 55(s0)
  CHECK(115, a4, 0x0708)
  // across a page boundary
  la s1, page2
  li a1, 0x8877665544332211
  sd a1, -3(s1)
  ld a4, -3(s1)
  CHECK(116, a4, 0x8877665544332211)
  lbu a4, -1(s1)
  CHECK(117, a4, 0x33)
  lbu a4, 0(s1)
  CHECK(118, a4, 0x44)
  lw a4, -2(s1)
  CHECK(119, a4, 0x55443322)
  sh a1, -1(s1)
  lhu a4, -1(s1)
  CHECK(120, a4, 0x2211)
  CHECK_TRAP(121, TR_COUNT, 0)
  // FENCE and FENCE.I are no-ops here
  fence
  fence.i
  fence rw, rw
  j pass

  .bss
  .align 12
page1: .skip 4096
page2: .skip 64
buf = page1
