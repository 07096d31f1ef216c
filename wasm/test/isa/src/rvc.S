// C extension: every RV64C instruction gives the same result as its 32-bit
// expansion (run both on the same inputs and compare), plus control flow
// (c.j, c.jr, c.jalr, c.beqz, c.bnez link values and targets), c.ebreak and
// the reserved all-zero encoding (illegal instruction).
#include "test.h"

// Run `init; compressed` and `init; full` and compare register `reg`.
.macro SAME n, init, cins, fins, reg
  \init
  .option push
  .option rvc
  \cins
  .option pop
  mv s2, \reg
  \init
  .option push
  .option norvc
  \fins
  .option pop
  li gp, \n
  beq s2, \reg, 9f
  j fail
9:
.endm
  .text
  .globl main
main:
  li t0, MSTATUS_FS
  csrs mstatus, t0
  la sp, cbuf + 256
  la s0, cbuf
  li t0, 0x1122334455667788
  sd t0, 0(s0)
  li t0, 0x99aabbccddeeff00
  sd t0, 8(s0)
  sd t0, 248(s0)
  fld fs0, 0(s0)
  fld fs1, 248(s0)
  mv s3, sp

  SAME 1, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.addi4spn a0, sp, 1020", "addi a0, sp, 1020", a0
  SAME 2, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.addi4spn s1, sp, 4", "addi s1, sp, 4", s1
  SAME 3, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.lw a0, 4(s0)", "lw a0, 4(s0)", a0
  SAME 4, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.lw a0, 124(s0)", "lw a0, 124(s0)", a0
  SAME 5, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.ld a0, 8(s0)", "ld a0, 8(s0)", a0
  SAME 6, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.ld a0, 248(s0)", "ld a0, 248(s0)", a0
  SAME 7, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.sw a1, 64(s0); ld a0, 64(s0)", "sw a1, 64(s0); ld a0, 64(s0)", a0
  SAME 8, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.sd a1, 120(s0); ld a0, 120(s0)", "sd a1, 120(s0); ld a0, 120(s0)", a0
  SAME 9, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.fld fa0, 8(s0); fmv.x.d a0, fa0", "fld fa0, 8(s0); fmv.x.d a0, fa0", a0
  SAME 10, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.fsd fs1, 160(s0); ld a0, 160(s0)", "fsd fs1, 160(s0); ld a0, 160(s0)", a0
  SAME 11, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.addi a0, -32", "addi a0, a0, -32", a0
  SAME 12, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.addi a0, 31", "addi a0, a0, 31", a0
  SAME 13, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.addiw a0, -1", "addiw a0, a0, -1", a0
  SAME 14, "li a0, 0x7fffffff", "c.addiw a0, 1", "addiw a0, a0, 1", a0
  SAME 15, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.addiw a1, 0", "addiw a1, a1, 0", a1
  SAME 16, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.li a0, -32", "addi a0, zero, -32", a0
  SAME 17, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.li a0, 31", "addi a0, zero, 31", a0
  SAME 18, "mv sp, s3", "c.addi16sp sp, -512", "addi sp, sp, -512", sp
  mv sp, s3
  SAME 19, "mv sp, s3", "c.addi16sp sp, 496", "addi sp, sp, 496", sp
  SAME 20, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.lui a0, 0xfffe0", "lui a0, 0xfffe0", a0
  SAME 21, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.lui a0, 0x1f", "lui a0, 0x1f", a0
  SAME 22, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.srli a0, 63", "srli a0, a0, 63", a0
  SAME 23, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.srli a0, 1", "srli a0, a0, 1", a0
  SAME 24, "li a0, -8", "c.srai a0, 2", "srai a0, a0, 2", a0
  SAME 25, "li a0, -8", "c.srai a0, 63", "srai a0, a0, 63", a0
  SAME 26, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.andi a0, -17", "andi a0, a0, -17", a0
  SAME 27, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.andi a0, 15", "andi a0, a0, 15", a0
  SAME 28, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.sub a0, a1", "sub a0, a0, a1", a0
  SAME 29, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.xor a0, a1", "xor a0, a0, a1", a0
  SAME 30, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.or a0, a1", "or a0, a0, a1", a0
  SAME 31, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.and a0, a1", "and a0, a0, a1", a0
  SAME 32, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.subw a0, a1", "subw a0, a0, a1", a0
  SAME 33, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.addw a0, a1", "addw a0, a0, a1", a0
  SAME 34, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.slli a0, 63", "slli a0, a0, 63", a0
  SAME 35, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.slli a1, 4", "slli a1, a1, 4", a1
  SAME 36, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.fldsp fa0, 248(sp); fmv.x.d a0, fa0", "fld fa0, 248(sp); fmv.x.d a0, fa0", a0
  SAME 37, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.lwsp a0, 12(sp)", "lw a0, 12(sp)", a0
  SAME 38, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.lwsp a0, 252(sp)", "lw a0, 252(sp)", a0
  SAME 39, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.ldsp a0, 8(sp)", "ld a0, 8(sp)", a0
  SAME 40, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.ldsp a0, 504(sp)", "ld a0, 504(sp)", a0
  SAME 41, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.mv a0, a1", "add a0, zero, a1", a0
  SAME 42, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.add a0, a1", "add a0, a0, a1", a0
  SAME 43, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.fsdsp fs0, 200(sp); ld a0, 200(sp)", "fsd fs0, 200(sp); ld a0, 200(sp)", a0
  SAME 44, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.swsp a1, 252(sp); ld a0, 248(sp)", "sw a1, 252(sp); ld a0, 248(sp)", a0
  SAME 45, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.sdsp a1, 504(sp); ld a0, 504(sp)", "sd a1, 504(sp); ld a0, 504(sp)", a0
  SAME 46, "li a0, 0x123456789abcdef0; li a1, 0x0fedcba987654321", "c.nop", "addi zero, zero, 0", a0
  mv sp, s3

  // control flow
  .option push
  .option rvc
  li gp, 50
  c.j 1f
  j fail
1:
  li a0, 0
  li gp, 51
  c.beqz a0, 1f
  j fail
1:
  c.bnez a0, fail2
  li a0, 5
  li gp, 52
  c.bnez a0, 1f
  j fail
1:
  c.beqz a0, fail2
  la a1, 1f
  li gp, 53
  c.jr a1
  j fail
1:
  la a1, 1f
  li gp, 54
  c.jalr a1
2:
  j fail
1:
  la a2, 2b
  bne ra, a2, fail        // link = address of c.jalr + 2
  .option pop

  // c.ebreak: breakpoint (cause 3), and the handler skips 2 bytes
  CLEAR_TRAP
  .option push
  .option rvc
  c.ebreak
  .option pop
  CHECK_TRAP(60, TR_CAUSE, 3)
  CHECK_TRAP(61, TR_COUNT, 1)
  // the all-zero halfword is illegal; mtval = the instruction bits (0)
  CLEAR_TRAP
  .2byte 0
  CHECK_TRAP(62, TR_CAUSE, 2)
  CHECK_TRAP(63, TR_TVAL, 0)
  // a reserved encoding: c.addi4spn with imm 0 (0x0004: rd'=a1? no: bits 4:2 = 1)
  CLEAR_TRAP
  .2byte 0x0004
  CHECK_TRAP(64, TR_CAUSE, 2)
  // c.lui rd=a0 with imm 0 is reserved
  CLEAR_TRAP
  .2byte 0x6501
  CHECK_TRAP(65, TR_CAUSE, 2)
  // a 32-bit instruction at a 2-byte aligned address
  .option push
  .option rvc
  c.nop
  .option pop
  .option push
  .option norvc
  li a0, 0x12345
  addi a0, a0, 1
  .option pop
  CHECK(66, a0, 0x12346)
  j pass
fail2:
  j fail

  .bss
  .align 4
cbuf: .skip 1024
