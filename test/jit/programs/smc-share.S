# Code written by another process (Linux, riscv64, raw system calls): a
# parent maps a memfd page read-write, forks, and the child maps the same
# page read-execute (another process, another address). For each version v
# the parent writes a loop (the template below, its immediate set to v) into
# the page and tells the child through a pipe; the child runs FENCE.I, calls
# the code ITERS times (argv[1], default 20000) and sends the result back;
# the parent runs the same version through a read-execute mapping of its own
# (a second mapping of the page it writes through) and prints
# "v<v> <child's result> <parent's result>" in hex. Then it closes the pipe,
# the child exits, and the parent prints "done" once it has reaped the child.
.equ VERSIONS, 4
.equ DEFAULT_ITERS, 20000
.include "linux-abi.inc"
.equ LINE_LEN, 37                       # the lengths of the texts in .data
.equ DONE_LEN, 5
.equ FAILED_LEN, 32

  .text
  .globl _start
_start:
  # s11 = iterations: argv[1] in decimal if given
  li s11, DEFAULT_ITERS
  ld t0, 0(sp)
  li t1, 2
  blt t0, t1, 2f
  ld t0, 16(sp)
  li s11, 0
1:
  lbu t1, 0(t0)
  beqz t1, 2f
  addi t1, t1, -'0'
  li t2, 10
  mul s11, s11, t2
  add s11, s11, t1
  addi t0, t0, 1
  j 1b
2:
  beqz s11, fail
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
  mv s1, a0                            # the parent's writable view of the page
  la a0, to_child
  li a1, 0
  li a7, SYS_PIPE2
  ecall
  bnez a0, fail
  la a0, to_parent
  li a1, 0
  li a7, SYS_PIPE2
  ecall
  bnez a0, fail
  li a0, SIGCHLD
  li a1, 0
  li a2, 0
  li a3, 0
  li a4, 0
  li a7, SYS_CLONE
  ecall
  bltz a0, fail
  beqz a0, child
  mv s2, a0                            # the child's pid
  li a0, 0                             # the parent's own read-execute mapping of the page
  li a1, PAGE
  li a2, PROT_READ | PROT_EXEC
  li a3, MAP_SHARED
  mv a4, s0
  li a5, 0
  li a7, SYS_MMAP
  ecall
  bltz a0, fail
  mv s6, a0
  lw a0, to_child                      # the parent keeps only its ends of the pipes
  li a7, SYS_CLOSE
  ecall
  lw a0, to_parent + 4
  li a7, SYS_CLOSE
  ecall
  # The parent: write each version, have the child run it, print its result.
  li s3, 1
version:
  la t0, code_begin
  la t1, code_end
  mv t2, s1
3:
  lw t3, 0(t0)
  sw t3, 0(t2)
  addi t0, t0, 4
  addi t2, t2, 4
  bltu t0, t1, 3b
  la t0, code_patch                    # addi a0, a0, v at code_patch
  la t1, code_begin
  sub t0, t0, t1
  add t0, t0, s1
  lwu t1, 0(t0)
  li t2, 0xfffff
  and t1, t1, t2
  slli t2, s3, 20
  or t1, t1, t2
  sw t1, 0(t0)
  la a1, message
  sb s3, 0(a1)
  lw a0, to_child + 4
  li a2, 1
  li a7, SYS_WRITE
  ecall
  li t0, 1
  bne a0, t0, fail
  lw a0, to_parent
  la a1, result
  li a2, 8
  li a7, SYS_READ
  ecall
  li t0, 8
  bne a0, t0, fail
  # The parent runs the same version through its own read-execute mapping (a second mapping in one process).
  fence.i
  mv a1, s11
  li a0, 0
  jalr s6
  mv s7, a0
  # "v<n> <child's result> <parent's result>\n", 16 hex digits each
  la a1, line
  addi t0, s3, '0'
  sb t0, 1(a1)
  ld t0, result
  addi t1, a1, 3 + 15
  call hex16
  mv t0, s7
  la a1, line
  addi t1, a1, 20 + 15
  call hex16
  la a1, line
  li a0, 1
  li a2, LINE_LEN
  li a7, SYS_WRITE
  ecall
  addi s3, s3, 1
  li t0, VERSIONS
  ble s3, t0, version
  lw a0, to_child + 4
  li a7, SYS_CLOSE
  ecall
  mv a0, s2
  li a1, 0
  li a2, 0
  li a3, 0
  li a7, SYS_WAIT4
  ecall
  bne a0, s2, fail
  li a0, 1
  la a1, done
  li a2, DONE_LEN
  li a7, SYS_WRITE
  ecall
  li a0, 0
  li a7, SYS_EXIT
  ecall

# The child: its own read-execute mapping of the page; run what the parent wrote.
child:
  lw a0, to_child + 4                  # the child keeps only its ends (EOF once the parent closes)
  li a7, SYS_CLOSE
  ecall
  lw a0, to_parent
  li a7, SYS_CLOSE
  ecall
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
7:
  lw a0, to_child
  la a1, message
  li a2, 1
  li a7, SYS_READ
  ecall
  li t0, 1
  bne a0, t0, 8f                       # the parent closed the pipe
  fence.i
  mv a1, s11
  li a0, 0
  jalr s4
  la a1, result
  sd a0, 0(a1)
  lw a0, to_parent + 4
  li a2, 8
  li a7, SYS_WRITE
  ecall
  j 7b
8:
  li a0, 0
  li a7, SYS_EXIT
  ecall

# Writes t0 as 16 hex digits ending at t1 (downwards). Clobbers t0-t4.
hex16:
  addi t3, t1, -15
1:
  andi t2, t0, 15
  addi t2, t2, '0'
  li t4, '9'
  bleu t2, t4, 2f
  addi t2, t2, 'a' - '0' - 10
2:
  sb t2, 0(t1)
  srli t0, t0, 4
  addi t1, t1, -1
  bgeu t1, t3, 1b
  ret

fail:
  li a0, 2
  la a1, failed
  li a2, FAILED_LEN
  li a7, SYS_WRITE
  ecall
  li a0, 1
  li a7, SYS_EXIT
  ecall

# The template the parent copies: a0 = f(a0) a1 times; f mixes, then adds v (patched).
  .option push
  .option norvc
code_begin:
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
memfd_name: .asciz "smc"
line: .ascii "v0 0000000000000000 0000000000000000\n"
done: .ascii "done\n"
failed: .ascii "smc-share: a system call failed\n"
  .balign 8
to_child: .word 0, 0
to_parent: .word 0, 0
result: .dword 0
message: .byte 0
