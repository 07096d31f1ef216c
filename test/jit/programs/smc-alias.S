# Self-modifying code through a second mapping: in S-mode under Sv39, the page
# of code is mapped twice, at ALIAS_X (read, execute) and ALIAS_W (read,
# write); the loop (rewrite-loop.inc) runs at ALIAS_X and rewrites its own
# body through ALIAS_W. Prints the sum after every round and the last word
# written, then passes. RAM and the devices are mapped one to one (gigapages).
.equ ROUNDS, 6
.equ ITERS, 4 * 1024
.equ ALIAS_X, 0x40000000
.equ ALIAS_W, 0x40001000
.equ PTE_V, 0x01
.equ PTE_R, 0x02
.equ PTE_W, 0x04
.equ PTE_X, 0x08
.equ PTE_A, 0x40
.equ PTE_D, 0x80
.equ SATP_SV39, 8

  .section .text.start, "ax"
  .globl _start
_start:
  la t0, trap_unexpected
  csrw mtvec, t0
  li t0, 1 << 13                       # mstatus.FS = Initial: rewrite-loop.inc may store with fsw
  csrs mstatus, t0
  # PMP entry 0: NAPOT over all memory, RWX (S-mode may then access everything).
  li t0, -1
  csrw pmpaddr0, t0
  li t0, 0x1f
  csrw pmpcfg0, t0
  # root[0]: VA 0 -> PA 0 (devices), root[2]: VA 2 GiB -> PA 2 GiB (RAM), gigapages.
  la t0, pt_root
  li t1, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  sd t1, 0(t0)
  li t1, (0x80000000 >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
  sd t1, 16(t0)
  # root[1] -> pt_l1, pt_l1[0] -> pt_l0: VA 1 GiB in 4 KiB pages.
  la t1, pt_l1
  srli t2, t1, 12
  slli t2, t2, 10
  ori t2, t2, PTE_V
  sd t2, 8(t0)
  la t0, pt_l0
  srli t2, t0, 12
  slli t2, t2, 10
  ori t2, t2, PTE_V
  sd t2, 0(t1)
  # pt_l0[0] = the code page, R X; pt_l0[1] = the same page, R W.
  la t1, rewrite_loop
  srli t2, t1, 12
  slli t2, t2, 10
  ori t3, t2, PTE_V | PTE_R | PTE_X | PTE_A
  sd t3, 0(t0)
  ori t3, t2, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  sd t3, 8(t0)
  la t0, pt_root
  srli t0, t0, 12
  li t1, SATP_SV39
  slli t1, t1, 60
  or t0, t0, t1
  csrw satp, t0
  sfence.vma
  # mret to S-mode at s_main.
  li t0, 3 << 11
  csrc mstatus, t0
  li t0, 1 << 11
  csrs mstatus, t0
  la t0, s_main
  csrw mepc, t0
  mret

s_main:
  la t0, rewrite_loop
  la t1, rewrite_target
  sub s8, t1, t0
  li t1, ALIAS_W
  add s8, s8, t1
  li s9, ALIAS_X
  lwu s7, 0(s8)
  li t1, 0xfffff
  and s7, s7, t1
  li s2, 0
  li s10, 1
  li s11, ROUNDS
1:
  li t0, ITERS
  jalr s9
  mv a0, s2
  li a4, '\n'
  call print_hex
  addi s11, s11, -1
  bnez s11, 1b
  lwu a0, 0(s8)
  call print_hex
  csrr a0, satp
  srli a0, a0, 60
  addi a0, a0, -SATP_SV39
  j finish

  .text
.include "bare.inc"
.include "rewrite-loop.inc"

  .bss
  .balign 4096
pt_root: .skip 4096
pt_l1: .skip 4096
pt_l0: .skip 4096
