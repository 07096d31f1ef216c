# A loop rewriting its own body in a Linux process (riscv64, raw system
# calls): rewrite-loop.inc copied into an anonymous read-write-execute page,
# argv[1] (default 6) calls of 4 rewrites each, as smc-loop.S runs it on the
# bare machine; prints the sum after every round and the last word written,
# in the same format (with 6 rounds the outputs are equal).
.equ DEFAULT_ROUNDS, 6
.equ ITERS, 4 * 1024
.include "linux-abi.inc"
.equ PROT_RWX, 7
.equ MAP_PRIVATE_ANONYMOUS, 0x22

  .text
  .globl _start
_start:
  li a0, 0
  li a1, PAGE
  li a2, PROT_RWX
  li a3, MAP_PRIVATE_ANONYMOUS
  li a4, -1
  li a5, 0
  li a7, SYS_MMAP
  ecall
  bltz a0, fail
  mv s9, a0
  la t0, rewrite_loop
  la t1, rewrite_loop_end
  mv t2, s9
1:
  lw t3, 0(t0)
  sw t3, 0(t2)
  addi t0, t0, 4
  addi t2, t2, 4
  bltu t0, t1, 1b
  fence.i
  la t0, rewrite_target
  la t1, rewrite_loop
  sub s8, t0, t1
  add s8, s8, s9
  lwu s7, 0(s8)
  li t1, 0xfffff
  and s7, s7, t1
  li s2, 0
  li s10, 1
  li s11, DEFAULT_ROUNDS
  ld t0, 0(sp)                         # argc
  li t1, 2
  blt t0, t1, 2f
  ld t0, 16(sp)                        # argv[1], decimal
  li s11, 0
5:
  lbu t1, 0(t0)
  beqz t1, 2f
  addi t1, t1, -'0'
  li t2, 10
  mul s11, s11, t2
  add s11, s11, t1
  addi t0, t0, 1
  j 5b
2:
  beqz s11, fail
9:
  li t0, ITERS
  jalr s9
  mv a0, s2
  call print_hex
  addi s11, s11, -1
  bnez s11, 9b
  lwu a0, 0(s8)
  call print_hex
  li a0, 0
  li a7, SYS_EXIT
  ecall

.include "linux-print.inc"

.include "rewrite-loop.inc"
