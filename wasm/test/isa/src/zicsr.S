// Zicsr and Zicntr: CSRRW/S/C and immediate forms, the rd = x0 / rs1 = x0
// rules (no write -> no read-only trap), read-only and missing CSRs ->
// illegal instruction with mtval = instruction bits, privilege checks,
// cycle/time/instret counting, mcounteren/scounteren gating from S and U,
// sstatus/sie as views of mstatus/mie, fcsr = frm:fflags and FS = off.
#include "test.h"

// Expect the instruction at `label` to trap as illegal with mtval = its bits.
#define CHECK_ILLEGAL_AT(n, label) \
  CHECK_TRAP(n, TR_CAUSE, CAUSE_ILLEGAL); la t5, label; lwu t6, 0(t5); la t5, trap_area; ld t5, TR_TVAL(t5); \
  li gp, n; beq t5, t6, 9f; j fail; 9:

  .text
  .globl main
main:
  li a1, 0x1234
  csrw mscratch, a1
  li a2, 0x5678
  csrrw a4, mscratch, a2
  CHECK(1, a4, 0x1234)
  csrr a4, mscratch
  CHECK(2, a4, 0x5678)
  li a2, 0x0f0f
  csrrs a4, mscratch, a2
  CHECK(3, a4, 0x5678)
  csrr a4, mscratch
  CHECK(4, a4, 0x5f7f)
  li a2, 0x00ff
  csrrc a4, mscratch, a2
  CHECK(5, a4, 0x5f7f)
  csrr a4, mscratch
  CHECK(6, a4, 0x5f00)
  csrrwi a4, mscratch, 31
  CHECK(7, a4, 0x5f00)
  csrr a4, mscratch
  CHECK(8, a4, 31)
  csrrci a4, mscratch, 5
  CHECK(9, a4, 31)
  csrrsi a4, mscratch, 0x10
  CHECK(10, a4, 26)
  csrr a4, mscratch
  CHECK(11, a4, 26)
  csrrw zero, mscratch, a1       // rd = x0: write only
  csrr a4, mscratch
  CHECK(12, a4, 0x1234)
  csrrw a4, mscratch, a4         // rd == rs1: old value returned, new value = old rs1
  CHECK(13, a4, 0x1234)
  li a1, -1
  csrw mscratch, a1
  csrr a4, mscratch
  CHECK(14, a4, -1)
  la t0, trap_area               // the trap handler needs mscratch back
  csrw mscratch, t0

  // read-only CSRs: reading (rs1 = x0, or uimm = 0) is fine; writing is illegal
  CLEAR_TRAP
  csrrs a4, cycle, zero
  csrrsi a4, mvendorid, 0
  csrrc a4, instret, zero
  csrr a4, mhartid
  CHECK(20, a4, 0)
  CHECK_TRAP(21, TR_COUNT, 0)
  CLEAR_TRAP
  li a1, 1
ro1: csrrs a4, cycle, a1
  CHECK_ILLEGAL_AT(22, ro1)
  CLEAR_TRAP
ro2: csrrw zero, mhartid, zero   // csrw of a read-only CSR traps even with rd = x0 and rs1 = x0
  CHECK_ILLEGAL_AT(23, ro2)
  CLEAR_TRAP
ro3: csrrsi a4, mvendorid, 1
  CHECK_ILLEGAL_AT(24, ro3)
  CLEAR_TRAP
  li a4, 0x77
ro4: csrrci a4, time, 1
  CHECK_ILLEGAL_AT(25, ro4)
  CHECK(26, a4, 0x77)            // rd not written by a trapping CSR instruction
  // a CSR that does not exist
  CLEAR_TRAP
nx1: csrr a4, 0x7c0
  CHECK_ILLEGAL_AT(27, nx1)

  // misa: RV64, I M A F D C S U
  csrr a4, misa
  srli a5, a4, 62
  CHECK(30, a5, 2)
  li a5, (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20)
  and a4, a4, a5
  CHECK(31, a4, (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20))

  // sstatus is a view of mstatus; sie/sip are masked by mideleg
  csrw mstatus, zero
  csrsi sstatus, MSTATUS_SIE
  csrr a4, mstatus
  andi a4, a4, MSTATUS_SIE
  CHECK(32, a4, MSTATUS_SIE)
  li a1, MSTATUS_MIE
  csrs sstatus, a1               // MIE is not in sstatus
  csrr a4, mstatus
  andi a4, a4, MSTATUS_MIE
  CHECK(33, a4, 0)
  csrw mstatus, zero
  li a1, (1 << 5) | (1 << 7)     // STIE, MTIE
  csrw mie, a1
  csrw mideleg, zero
  csrr a4, sie
  CHECK(34, a4, 0)
  li a1, 1 << 5
  csrw mideleg, a1
  csrr a4, sie
  CHECK(35, a4, 1 << 5)
  csrw mie, zero
  csrw mideleg, zero

  // counters increase; time follows the 10 MHz timebase
  csrr s1, cycle
  csrr s2, instret
  csrr s3, time
  li a1, 100000
1: addi a1, a1, -1
  bnez a1, 1b
  csrr s4, cycle
  csrr s5, instret
  csrr s6, time
  li gp, 40
  bgeu s1, s4, fail
  li gp, 44
  sub a4, s5, s2
  li a5, 200000
  bltu a4, a5, fail              // at least the loop's 200000 instructions retired (QEMU without icount counts host ticks)
  li gp, 41
  bgeu s3, s6, fail
  // minstret/mcycle are writable
  csrw minstret, zero
  csrr a4, minstret
  li gp, 42
  li a5, 10
  bgeu a4, a5, fail
  li a1, 1000000
  csrw mcycle, a1
  csrr a4, mcycle
  li gp, 43
  bltu a4, a1, fail
  // Exactly (Privileged spec 3.1.11, Zicntr; riscv-tests rv64mi instret_overflow): a CSR
  // instruction reads the count of the instructions before it, and a write to a counter
  // sets the count the next instruction sees (the writing instruction does not count).
  csrwi minstret, 0
  csrr a4, minstret
  CHECK(45, a4, 0)
  csrwi mcycle, 0
  csrr a4, mcycle
  CHECK(46, a4, 0)
  csrwi minstret, 0
  csrr a4, instret               // the user-level alias reads the same counter
  CHECK(47, a4, 0)
  csrwi minstret, 5
  csrrw a4, minstret, zero       // reads the old count, then sets 0 for the next instruction
  csrr a5, minstret
  CHECK(48, a4, 5)
  CHECK(49, a5, 0)
  li a1, -1
  csrw minstret, a1
  csrr a4, minstret              // all ones, as written
  csrr a5, minstret              // one instruction later: wrapped to 0
  CHECK(65, a4, -1)
  CHECK(66, a5, 0)
  csrr a4, mcycle
  nop
  csrr a5, mcycle
  sub a5, a5, a4
  CHECK(67, a5, 2)               // one tick per instruction: the csrr and the nop

  // mcounteren / scounteren gate cycle, time, instret in S and U
  csrw mcounteren, zero
  csrw scounteren, zero
  IN_PRIV(50, PRV_S, s_read_cycle, CAUSE_ILLEGAL)
  IN_PRIV(51, PRV_U, u_read_time, CAUSE_ILLEGAL)
  li a1, 7
  csrw mcounteren, a1
  IN_PRIV(52, PRV_S, s_read_cycle, CAUSE_ECALL_S)
  IN_PRIV(53, PRV_S, s_read_instret, CAUSE_ECALL_S)
  IN_PRIV(54, PRV_U, u_read_time, CAUSE_ILLEGAL)   // scounteren still 0
  li a1, 2                                        // TM only
  csrw scounteren, a1
  IN_PRIV(55, PRV_U, u_read_time, CAUSE_ECALL_U)
  IN_PRIV(56, PRV_U, u_read_cycle, CAUSE_ILLEGAL)
  li a1, 5
  csrw mcounteren, a1                             // TM cleared in mcounteren
  li a1, 7
  csrw scounteren, a1
  IN_PRIV(57, PRV_U, u_read_time, CAUSE_ILLEGAL)
  IN_PRIV(58, PRV_U, u_read_cycle, CAUSE_ECALL_U)
  IN_PRIV(59, PRV_S, s_read_time, CAUSE_ILLEGAL)

  // privilege of the CSR address: S cannot touch M CSRs, U cannot touch S CSRs
  IN_PRIV(60, PRV_S, s_read_mstatus, CAUSE_ILLEGAL)
  IN_PRIV(61, PRV_U, u_read_sstatus, CAUSE_ILLEGAL)
  IN_PRIV(62, PRV_S, s_write_sscratch, CAUSE_ECALL_S)
  csrr a4, sscratch
  CHECK(63, a4, 0xabc)
  IN_PRIV(64, PRV_U, u_write_mscratch, CAUSE_ILLEGAL)

  // fcsr: frm and fflags are fields of it; FS = off makes them illegal
  li a1, MSTATUS_FS
  csrc mstatus, a1
  CLEAR_TRAP
fs1: csrr a4, fcsr
  CHECK_ILLEGAL_AT(70, fs1)
  CLEAR_TRAP
fs2: csrwi fflags, 1
  CHECK_ILLEGAL_AT(71, fs2)
  li a1, 1 << 13                                  // FS = initial
  csrs mstatus, a1
  li a1, 0xff
  csrw fcsr, a1
  csrr a4, frm
  CHECK(72, a4, 7)
  csrr a4, fflags
  CHECK(73, a4, 0x1f)
  csrwi frm, 2
  csrr a4, fcsr
  CHECK(74, a4, 0x5f)
  csrrci a4, fflags, 0x10
  CHECK(75, a4, 0x1f)
  csrr a4, fcsr
  CHECK(76, a4, 0x4f)
  csrr a4, mstatus                                // fcsr writes make FS dirty, SD set
  srli a5, a4, 13
  andi a5, a5, 3
  CHECK(77, a5, 3)
  srli a5, a4, 63
  CHECK(78, a5, 1)
  li a1, 0x700
  csrw fcsr, a1                                   // bits above 7 are ignored
  csrr a4, fcsr
  CHECK(79, a4, 0)
  j pass

s_read_cycle: csrr a0, cycle
  ecall
s_read_instret: csrr a0, instret
  ecall
s_read_time: csrr a0, time
  ecall
s_read_mstatus: csrr a0, mstatus
  ecall
s_write_sscratch: li a0, 0xabc
  csrw sscratch, a0
  ecall
u_read_cycle: csrr a0, cycle
  ecall
u_read_time: csrr a0, time
  ecall
u_read_sstatus: csrr a0, sstatus
  ecall
u_write_mscratch: csrw mscratch, zero
  ecall
