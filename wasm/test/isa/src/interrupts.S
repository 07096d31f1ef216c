// Interrupts: CLINT mtimecmp -> machine timer interrupt when mtime reaches it
// (not before, not taken while masked), msip -> machine software interrupt,
// WFI wakes on a pending enabled interrupt even with MIE clear, Sstc stimecmp
// (menvcfg.STCE) -> supervisor timer, delegated to S via mideleg, and vectored
// mtvec (interrupts go to BASE + 4 * cause).
#include "test.h"
#define IRQ_MTI 0x8000000000000007
#define IRQ_MSI 0x8000000000000003
#define IRQ_STI 0x8000000000000005

  .text
  .globl main
main:
  li s0, CLINT_MTIMECMP
  li s1, CLINT_MSIP
  la s2, trap_area
  // ---- machine timer, masked: MTIP becomes pending, no trap
  CLEAR_TRAP
  csrr a0, time
  addi s3, a0, 200
  sd s3, 0(s0)
  li t0, 1 << 7
  csrw mie, t0
1: csrr a0, time
  bltu a0, s3, 1b
  li a2, 100000            // (QEMU raises MTIP asynchronously: give it a moment)
7: csrr a1, mip
  andi a1, a1, 1 << 7
  bnez a1, 8f
  addi a2, a2, -1
  bnez a2, 7b
8: CHECK(1, a1, 1 << 7)
  CHECK_TRAP(2, TR_COUNT, 0)
  // enabling MIE takes it at once (the handler clears mie)
  csrsi mstatus, MSTATUS_MIE
  nop
  csrci mstatus, MSTATUS_MIE
  CHECK_TRAP(3, TR_COUNT, 1)
  CHECK_TRAP(4, TR_CAUSE, IRQ_MTI)
  // ---- machine timer at the right time: the last time read before the trap is < mtimecmp
  CLEAR_TRAP
  csrr a0, time
  addi s3, a0, 300
  sd s3, 0(s0)
  li t0, 1 << 7
  csrw mie, t0
  csrsi mstatus, MSTATUS_MIE
2: ld a1, TR_COUNT(s2)
  beqz a1, 2b
  csrci mstatus, MSTATUS_MIE
  csrr s5, time
  CHECK_TRAP(10, TR_CAUSE, IRQ_MTI)
  li gp, 11
  bltu s5, s3, fail        // not early
  addi s4, s3, 5           // not late: the handler takes ~20 instructions = 2 mtime units
  bltu s4, s5, fail
  li t0, -1
  sd t0, 0(s0)             // mtimecmp = max: MTIP clears
  csrr a1, mip
  andi a1, a1, 1 << 7
  CHECK(12, a1, 0)

  // ---- software interrupt through msip
  CLEAR_TRAP
  li t0, 1 << 3
  csrw mie, t0
  li t0, 1
  sw t0, 0(s1)
  csrr a1, mip
  andi a1, a1, 1 << 3
  CHECK(20, a1, 1 << 3)
  csrsi mstatus, MSTATUS_MIE
  nop
  csrci mstatus, MSTATUS_MIE
  CHECK_TRAP(21, TR_CAUSE, IRQ_MSI)
  sw zero, 0(s1)
  csrr a1, mip
  andi a1, a1, 1 << 3
  CHECK(22, a1, 0)

  // ---- WFI wakes with MIE clear (no trap), then with MIE set (trap, mepc after the wfi)
  CLEAR_TRAP
  csrr a0, time
  addi s3, a0, 500
  sd s3, 0(s0)
  li t0, 1 << 7
  csrw mie, t0
  wfi
  csrr a0, time
  li gp, 30
  bltu a0, s3, fail
  CHECK_TRAP(31, TR_COUNT, 0)
  li t0, -1
  sd t0, 0(s0)
  csrr a0, time
  addi s3, a0, 500
  sd s3, 0(s0)
  csrsi mstatus, MSTATUS_MIE
3: wfi
4: csrci mstatus, MSTATUS_MIE
  CHECK_TRAP(32, TR_CAUSE, IRQ_MTI)
  CHECK_TRAP_ADDR(33, TR_EPC, 4b)
  li t0, -1
  sd t0, 0(s0)

  // ---- vectored mtvec: the timer interrupt enters at BASE + 4 * 7
  CLEAR_TRAP
  la t0, vectors + 1
  csrw mtvec, t0
  la t5, vec_flag
  sd zero, 0(t5)
  li t0, 1 << 7
  csrw mie, t0
  sd zero, 0(s0)           // mtimecmp = 0: pending now
  csrsi mstatus, MSTATUS_MIE
  nop
  csrci mstatus, MSTATUS_MIE
  CHECK_TRAP(40, TR_CAUSE, IRQ_MTI)
  la t5, vec_flag
  ld t5, 0(t5)
  CHECK(41, t5, 7)
  li t0, -1
  sd t0, 0(s0)
  CLEAR_TRAP               // exceptions still enter at BASE
  ecall
  CHECK_TRAP(42, TR_CAUSE, CAUSE_ECALL_M)
  la t5, vec_flag
  ld t5, 0(t5)
  CHECK(43, t5, 7)
  la t0, trap_entry
  csrw mtvec, t0

  // ---- Sstc: stimecmp drives STIP when menvcfg.STCE is set
  li t0, 1
  slli t0, t0, 63
  csrs menvcfg, t0
  CLEAR_TRAP
  li t0, 1 << 5
  csrw mie, t0
  csrr a0, time
  addi s3, a0, 300
  csrw stimecmp, s3
  csrsi mstatus, MSTATUS_MIE
5: ld a1, TR_COUNT(s2)
  beqz a1, 5b
  csrci mstatus, MSTATUS_MIE
  csrr a0, time
  CHECK_TRAP(50, TR_CAUSE, IRQ_STI)
  li gp, 51
  bltu a0, s3, fail
  li t0, -1
  csrw stimecmp, t0
  csrr a1, mip
  andi a1, a1, 1 << 5
  CHECK(52, a1, 0)
  // delegated to S with mideleg: taken in S-mode through stvec
  la t0, strap_entry
  csrw stvec, t0
  li t0, 1 << 5
  csrw mideleg, t0
  csrw mie, t0
  csrr a0, time
  addi s3, a0, 300
  csrw stimecmp, s3
  CLEAR_TRAP
  GOTO_PRIV(PRV_S, s_spin, 6f)
6: CHECK_TRAP(53, TR_SCAUSE, IRQ_STI)
  CHECK_TRAP(54, TR_CAUSE, CAUSE_ECALL_S)
  li t0, -1
  csrw stimecmp, t0
  // a delegated interrupt is not taken in M-mode even with MIE set
  csrw stimecmp, zero
  CLEAR_TRAP
  csrsi mstatus, MSTATUS_MIE
  nop
  nop
  csrci mstatus, MSTATUS_MIE
  CHECK_TRAP(55, TR_COUNT, 0)
  CHECK_TRAP(56, TR_SCOUNT, 0)
  csrw mie, zero
  csrw mideleg, zero
  j pass

s_spin:
  csrsi sstatus, MSTATUS_SIE
1: j 1b

  .align 6
vectors:
  j trap_entry
  .rept 6
  j trap_entry
  .endr
  j vec_mti
  .rept 8
  j trap_entry
  .endr
vec_mti:
  // record that the vector was used (t5/t6 are scratch in the test code), then the common handler
  la t5, vec_flag
  li t6, 7
  sd t6, 0(t5)
  j trap_entry

  .data
  .align 3
vec_flag: .dword 0
