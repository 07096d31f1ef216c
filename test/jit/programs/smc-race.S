# Code rewritten by another process while it runs (Linux, riscv64, raw system
# calls), with no synchronisation: the parent maps a memfd page read-write,
# writes version 1 of a loop, forks, and then writes versions 2..VERSIONS,
# spinning between them, while the child (its own read-execute mapping of the
# page) calls the code over and over. The timer preempts them wherever it
# falls, so which version each call runs (or, as a call is resumed, goes on
# with) depends on exact ticks: only a machine as exact with the JIT as
# without prints the same. Every version differs from the others in two
# immediates only, so any mixture of two is a valid program. At the end the
# parent sets a stop flag, reaps the child and prints the child's sum, calls
# and the set of versions it saw (bit v).
.equ VERSIONS, 12
.equ SPIN, 1000000
.equ CALL_ITERS, 500
.include "linux-abi.inc"
.equ MAP_SHARED_ANONYMOUS, 0x21
# The shared data page: stop flag, the child's sum, calls, versions seen.
.equ D_STOP, 0
.equ D_SUM, 8
.equ D_CALLS, 16
.equ D_SEEN, 24

  .text
  .globl _start
_start:
  la a0, memfd_name
  li a1, 0
  li a7, SYS_MEMFD_CREATE
  ecall
  bltz a0, fail
  mv s0, a0
  li a1, PAGE
  li a7, SYS_FTRUNCATE
  ecall
  bnez a0, fail
  li a0, 0
  li a1, PAGE
  li a2, PROT_READ | PROT_WRITE
  li a3, MAP_SHARED
  mv a4, s0
  li a5, 0
  li a7, SYS_MMAP
  ecall
  bltz a0, fail
  mv s1, a0                            # the parent's writable view of the code page
  li a0, 0
  li a1, PAGE
  li a2, PROT_READ | PROT_WRITE
  li a3, MAP_SHARED_ANONYMOUS
  li a4, -1
  li a5, 0
  li a7, SYS_MMAP
  ecall
  bltz a0, fail
  mv s5, a0                            # the shared data page
  li s3, 1
  call write_version
  li a0, SIGCHLD
  li a1, 0
  li a2, 0
  li a3, 0
  li a4, 0
  li a7, SYS_CLONE
  ecall
  bltz a0, fail
  beqz a0, child
  mv s2, a0
1:
  li t0, SPIN
2:
  addi t0, t0, -1
  bnez t0, 2b
  addi s3, s3, 1
  li t0, VERSIONS
  bgt s3, t0, 3f
  call write_version
  j 1b
3:
  li t0, 1
  sd t0, D_STOP(s5)
  mv a0, s2
  li a1, 0
  li a2, 0
  li a3, 0
  li a7, SYS_WAIT4
  ecall
  bne a0, s2, fail
  ld a0, D_SUM(s5)
  call print_hex
  ld a0, D_CALLS(s5)
  call print_hex
  ld a0, D_SEEN(s5)
  call print_hex
  li a0, 0
  li a7, SYS_EXIT
  ecall

# Copies the template into the page and sets its two immediates to s3 (the version).
write_version:
  la t0, code_begin
  la t1, code_end
  mv t2, s1
4:
  lw t3, 0(t0)
  sw t3, 0(t2)
  addi t0, t0, 4
  addi t2, t2, 4
  bltu t0, t1, 4b
  slli t4, s3, 20
  li t5, 0xfffff
  la t1, code_begin
  la t0, code_version
  sub t0, t0, t1
  add t0, t0, s1
  lwu t3, 0(t0)
  and t3, t3, t5
  or t3, t3, t4
  sw t3, 0(t0)
  la t0, code_patch
  sub t0, t0, t1
  add t0, t0, s1
  lwu t3, 0(t0)
  and t3, t3, t5
  or t3, t3, t4
  sw t3, 0(t0)
  ret

# The child: call the code until the stop flag is set; record the sum, calls and versions seen.
child:
  li a0, 0
  li a1, PAGE
  li a2, PROT_READ | PROT_EXEC
  li a3, MAP_SHARED
  mv a4, s0
  li a5, 0
  li a7, SYS_MMAP
  ecall
  bltz a0, fail
  mv s4, a0
  li s6, 0                             # sum
  li s7, 0                             # calls
  li s8, 0                             # versions seen
5:
  ld t0, D_STOP(s5)
  bnez t0, 6f
  fence.i
  mv a0, s6
  li a1, CALL_ITERS
  jalr s4
  mv s6, a0
  addi s7, s7, 1
  li t0, 1
  sll t0, t0, a2
  or s8, s8, t0
  j 5b
6:
  sd s6, D_SUM(s5)
  sd s7, D_CALLS(s5)
  sd s8, D_SEEN(s5)
  li a0, 0
  li a7, SYS_EXIT
  ecall

.include "linux-print.inc"

# The template: a2 = v; a0 = f(a0) a1 times, f mixing, then adding v.
  .option push
  .option norvc
code_begin:
code_version:
  addi a2, zero, 0
1:
  slli t0, a0, 13
  xor a0, a0, t0
  srli t0, a0, 7
  xor a0, a0, t0
code_patch:
  addi a0, a0, 0
  addi a1, a1, -1
  bnez a1, 1b
  ret
code_end:
  .option pop

  .data
memfd_name: .asciz "smc-race"
