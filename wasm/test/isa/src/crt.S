// Start-up, pass/fail and the default trap handlers shared by every ISA test program.
#include "test.h"

  .section .text.init
  .globl _start
_start:
  la t0, trap_entry
  csrw mtvec, t0
  la t0, trap_area
  csrw mscratch, t0
  la sp, stack_top
  // PMP entry 0: NAPOT over all memory, RWX, so S and U may access everything
  li t0, -1
  csrw pmpaddr0, t0
  li t0, 0x1f
  csrw pmpcfg0, t0
  li gp, 0
  call main
  .globl pass
pass:
  jal ra, uart_flush
  li t0, 0x5555
  li t1, TEST_FINISHER
  sw t0, 0(t1)
1: j 1b

// On failure, print "FAIL <gp> <mcause> <mtval> <mepc>" of the last recorded trap, for debugging.
  .globl fail
fail:
  bnez gp, 1f
  li gp, 0xffff
1:
  la s1, trap_area
  mv a0, gp
  jal ra, print_hex
  ld a0, TR_CAUSE(s1)
  jal ra, print_hex
  ld a0, TR_TVAL(s1)
  jal ra, print_hex
  ld a0, TR_EPC(s1)
  jal ra, print_hex
  jal ra, uart_flush
  slli t0, gp, 16
  li t1, 0x3333
  or t0, t0, t1
  li t1, TEST_FINISHER
  sw t0, 0(t1)
2: j 2b

// M-mode trap handler: records cause/epc/tval/mstatus and the count in
// trap_area. Interrupts: clear mie and return. Exceptions: resume at
// trap_area.resume in M-mode if set (then clear it), else skip the instruction.
  .align 4
  .globl trap_entry
trap_entry:
  csrrw t0, mscratch, t0
  sd t1, TR_T1(t0)
  sd t2, TR_T2(t0)
  ld t1, TR_COUNT(t0)
  addi t1, t1, 1
  sd t1, TR_COUNT(t0)
  csrr t1, mepc
  sd t1, TR_EPC(t0)
  csrr t1, mtval
  sd t1, TR_TVAL(t0)
  csrr t1, mstatus
  sd t1, TR_STATUS(t0)
  csrr t1, mcause
  sd t1, TR_CAUSE(t0)
  bgez t1, 1f
  csrw mie, zero
  j 3f
1:
  ld t1, TR_RESUME(t0)
  beqz t1, 2f
  sd zero, TR_RESUME(t0)
  csrw mepc, t1
  li t1, MSTATUS_MPP
  csrs mstatus, t1
  j 3f
2:
  csrr t1, mepc
  lhu t2, 0(t1)
  not t2, t2
  andi t2, t2, 3 // 0 iff a 32-bit instruction
  bnez t2, 4f
  addi t1, t1, 2
4:
  addi t1, t1, 2
  csrw mepc, t1
3:
  ld t1, TR_T1(t0)
  ld t2, TR_T2(t0)
  csrrw t0, mscratch, t0
  mret

// S-mode trap handler: records scause/sepc/stval/sstatus, then ECALLs to M-mode
// (the test has set a resume point with GOTO_PRIV/SET_RESUME).
  .align 4
  .globl strap_entry
strap_entry:
  la t0, trap_area
  csrr t1, scause
  sd t1, TR_SCAUSE(t0)
  csrr t1, sepc
  sd t1, TR_SEPC(t0)
  csrr t1, stval
  sd t1, TR_STVAL(t0)
  csrr t1, sstatus
  sd t1, TR_SSTATUS(t0)
  ld t1, TR_SCOUNT(t0)
  addi t1, t1, 1
  sd t1, TR_SCOUNT(t0)
  ecall
1: j 1b

  .bss
  .align 6
  .globl trap_area
trap_area: .skip TR_SIZE
  .align 4
stack: .skip 4096
  .globl stack_top
stack_top:

// Differential tests (../README.md): store x1..x31 and a checksum of the
// .data.sig section, print them to the UART as 32 lines of 16 hex digits
// (x1..x31, then the checksum), and pass. Jump here; never returns.
  .text
  .globl dump_and_pass
dump_and_pass:
  csrw mscratch, t0
  la t0, dump_area
  sd x1, 8(t0)
  sd x2, 16(t0)
  sd x3, 24(t0)
  sd x4, 32(t0)
  sd x6, 48(t0)
  sd x7, 56(t0)
  sd x8, 64(t0)
  sd x9, 72(t0)
  sd x10, 80(t0)
  sd x11, 88(t0)
  sd x12, 96(t0)
  sd x13, 104(t0)
  sd x14, 112(t0)
  sd x15, 120(t0)
  sd x16, 128(t0)
  sd x17, 136(t0)
  sd x18, 144(t0)
  sd x19, 152(t0)
  sd x20, 160(t0)
  sd x21, 168(t0)
  sd x22, 176(t0)
  sd x23, 184(t0)
  sd x24, 192(t0)
  sd x25, 200(t0)
  sd x26, 208(t0)
  sd x27, 216(t0)
  sd x28, 224(t0)
  sd x29, 232(t0)
  sd x30, 240(t0)
  sd x31, 248(t0)
  csrr t1, mscratch
  sd t1, 40(t0)
  // FNV-1a over 64-bit words of the signature region
  la a0, _sig_begin
  la a1, _sig_end
  li a2, 0xcbf29ce484222325
  li a3, 0x100000001b3
1:
  bgeu a0, a1, 2f
  ld a4, 0(a0)
  xor a2, a2, a4
  mul a2, a2, a3
  addi a0, a0, 8
  j 1b
2:
  sd a2, 256(t0)
  addi s1, t0, 8
  addi s2, t0, 264
3:
  ld a0, 0(s1)
  jal ra, print_hex
  addi s1, s1, 8
  bltu s1, s2, 3b
#ifdef DUMP_SIG
  // debugging a mismatch: every signature word too (DUMP_SIG=1 node build.mjs)
  la s1, _sig_begin
  la s2, _sig_end
6:
  bgeu s1, s2, 7f
  ld a0, 0(s1)
  jal ra, print_hex
  addi s1, s1, 8
  j 6b
7:
#endif
  j pass

// Prints a0 as 16 hex digits and a newline to the UART. Clobbers a0-a3, t6.
print_hex:
  mv t6, ra
  li a1, 16
4:
  srli a2, a0, 60
  slli a0, a0, 4
  addi a2, a2, '0'
  li a3, '9'
  bleu a2, a3, 5f
  addi a2, a2, 'a' - '0' - 10
5:
  jal ra, uart_put
  addi a1, a1, -1
  bnez a1, 4b
  li a2, '\n'
  jal ra, uart_put
  jr t6

// Writes a2 to the UART once the transmitter holding register is empty
// (QEMU drops bytes still queued when the finisher exits). Clobbers a3.
uart_put:
  li a3, UART_THR
1:
  lbu a3, 5(a3)
  andi a3, a3, 0x20
  beqz a3, 1b
  li a3, UART_THR
  sb a2, 0(a3)
  ret

// Waits until the UART has sent everything. Clobbers t0, t1.
uart_flush:
  li t0, UART_THR
1:
  lbu t1, 5(t0)
  andi t1, t1, 0x40
  beqz t1, 1b
  ret

  .bss
  .align 4
dump_area: .skip 33 * 8
