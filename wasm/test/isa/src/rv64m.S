// RV64M: multiply (low and every high variant), divide and remainder with the
// division-by-zero and overflow results of Unprivileged spec table 7.1, W forms.
#include "test.h"
  .text
  .globl main
main:
  TEST_RR(1, mul, 6, 2, 3)
  TEST_RR(2, mul, 0x0000000000000001, -1, -1)
  TEST_RR(3, mul, 0x8000000000000000, 0x4000000000000000, 2)
  TEST_RR(4, mul, 0xfedcba9876543210 * 3, 0xfedcba9876543210, 3)
  // high halves
  TEST_RR(10, mulh, -1, -1, 1)
  TEST_RR(11, mulh, -1, -1, 0x7fffffffffffffff)  // -(2^63-1) -> high = -1
  TEST_RR(12, mulh, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000)
  TEST_RR(13, mulh, 0xc000000000000000, 0x8000000000000000, 0x7fffffffffffffff)
  TEST_RR(14, mulhu, 0xfffffffffffffffe, -1, -1)
  TEST_RR(15, mulhu, 0, -1, 1)
  TEST_RR(16, mulhu, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff)
  TEST_RR(17, mulhsu, 0xffffffffffffffff, -1, -1)         // -1 * (2^64-1) -> high = -1
  TEST_RR(18, mulhsu, 0, 1, -1)
  TEST_RR(19, mulhsu, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff)
  TEST_RR(20, mulhsu, 0x0123456789abcdef - 1, 0x0123456789abcdef, 0xffffffffffffffff)
  TEST_RR(21, mulh, 0xff6c932efbb516dd, 0x123456789abcdef0, 0xf7e6d5c4b3a29180)
  TEST_RR(22, mulhu, 0x11a0e9a79671f5cd, 0x123456789abcdef0, 0xf7e6d5c4b3a29180)
  TEST_RR(23, mulhsu, 0x11a0e9a79671f5cd, 0x123456789abcdef0, 0xf7e6d5c4b3a29180)
  // division
  TEST_RR(30, div, -3, 20, -6)
  TEST_RR(31, div, 3, -20, -6)
  TEST_RR(32, div, -3, -20, 6)                 // rounds toward zero
  TEST_RR(33, div, -1, 5, 0)                   // by zero: all ones
  TEST_RR(34, div, 0x8000000000000000, 0x8000000000000000, -1)  // overflow: dividend
  TEST_RR(35, divu, 0x7fffffffffffffff, -1, 2)
  TEST_RR(36, divu, -1, 5, 0)
  TEST_RR(37, rem, 2, 20, -6)
  TEST_RR(38, rem, -2, -20, 6)                 // sign of the dividend
  TEST_RR(39, rem, 5, 5, 0)                    // by zero: dividend
  TEST_RR(40, rem, 0, 0x8000000000000000, -1)  // overflow: 0
  TEST_RR(41, remu, 1, -1, 2)
  TEST_RR(42, remu, -7, -7, 0)
  // W forms
  TEST_RR(50, mulw, 0xffffffff80000000, 0x40000000, 2)
  TEST_RR(51, mulw, 1, 0xffffffffffffffff, 0x00000000ffffffff)
  TEST_RR(52, mulw, 0x00000000675bcd15, 0x12345675bcd15, 1)   // upper bits ignored
  TEST_RR(53, divw, -3, 20, -6)
  TEST_RR(54, divw, -1, 5, 0)
  TEST_RR(55, divw, 0xffffffff80000000, 0x80000000, -1)  // overflow
  TEST_RR(56, divw, 2, 0x100000004, 2)                   // operands are the low 32 bits
  TEST_RR(57, divuw, 0x7fffffff, 0xffffffff, 2)
  TEST_RR(58, divuw, -1, 5, 0)
  TEST_RR(59, divuw, 0xffffffff80000000, 0x80000000, 1)  // result sign-extended
  TEST_RR(60, remw, -2, -20, 6)
  TEST_RR(61, remw, 0, 0x80000000, -1)
  TEST_RR(62, remw, 0xffffffff80000000, 0x80000000, 0)   // by zero: sext(dividend)
  TEST_RR(63, remuw, 1, 0xffffffff, 2)
  TEST_RR(64, remuw, 0xffffffff80000001, 0x180000001, 0)
  TEST_RR(65, remuw, 0xffffffff80000000, 0x80000000, 0x80000001)
  // rd == rs1 == rs2
  li a1, 7
  mul a1, a1, a1
  CHECK(70, a1, 49)
  j pass
