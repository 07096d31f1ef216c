# Self-modifying code in M-mode: a hot loop that rewrites its own body with
# plain stores (rewrite-loop.inc), ROUNDS calls of 4 rewrites each; prints the
# sum after every round and the last word written, then passes.
.equ ROUNDS, 6
.equ ITERS, 4 * 1024

  .section .text.start, "ax"
  .globl _start
_start:
  la t0, trap_unexpected
  csrw mtvec, t0
  li t0, 1 << 13                       # mstatus.FS = Initial: rewrite-loop.inc may store with fsw
  csrs mstatus, t0
  la s8, rewrite_target
  lwu s7, 0(s8)
  li t1, 0xfffff
  and s7, s7, t1
  li s2, 0
  li s10, 1
  li s11, ROUNDS
1:
  li t0, ITERS
  call rewrite_loop
  mv a0, s2
  li a4, '\n'
  call print_hex
  addi s11, s11, -1
  bnez s11, 1b
  lwu a0, 0(s8)
  call print_hex
  li a0, 0
  j finish

  .text
.include "bare.inc"
.include "rewrite-loop.inc"
