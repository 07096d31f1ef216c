// Privileged architecture, self-checking and differential: traps from M/S/U
// (mcause/mepc/mtval/mstatus), delegation to S (scause/sepc/stval/sstatus),
// MRET/SRET stacking, and Sv39: 1 GiB and 2 MiB superpages, 4 KiB pages,
// U vs SUM, MXR, R/W/X faults with stval = address, A/D set by hardware,
// misaligned superpage and non-canonical addresses. After every scenario the
// trap record is appended to the signature (.data.sig), which dump_and_pass
// checksums and QEMU must reproduce.
#include "test.h"

#define PTE_V 1
#define PTE_R 2
#define PTE_W 4
#define PTE_X 8
#define PTE_U 16
#define PTE_A 64
#define PTE_D 128
#define UOFF 0x40000000          // U-mode alias of RAM: VA = PA + UOFF
#define VBUF 0x40000000          // 4 KiB test pages: VA VBUF + i * 4096

// Append trap record fields to the signature at s11.
#define RECORD \
  la t0, trap_area; ld t1, TR_CAUSE(t0); sd t1, 0(s11); ld t1, TR_EPC(t0); sd t1, 8(s11); \
  ld t1, TR_TVAL(t0); sd t1, 16(s11); ld t1, TR_STATUS(t0); sd t1, 24(s11); ld t1, TR_SCAUSE(t0); sd t1, 32(s11); \
  ld t1, TR_SEPC(t0); sd t1, 40(s11); ld t1, TR_STVAL(t0); sd t1, 48(s11); ld t1, TR_COUNT(t0); sd t1, 56(s11); \
  addi s11, s11, 64

// Run `label` in S-mode with a0/a1 as arguments; expect M-mode cause `cause`, record.
#define RUN_S(n, label, cause) CLEAR_TRAP; GOTO_PRIV(PRV_S, label, 8f); 8: RECORD; CHECK_TRAP(n, TR_CAUSE, cause)
// Same in U-mode, running through the U alias of RAM.
#define RUN_U(n, label, cause) CLEAR_TRAP; SET_RESUME(8f); li t0, MSTATUS_MPP; csrc mstatus, t0; \
  la t0, label; li t1, UOFF; add t0, t0, t1; csrw mepc, t0; mret; 8: RECORD; CHECK_TRAP(n, TR_CAUSE, cause)

  .text
  .globl main
main:
  la s11, sig
  // ---- traps in M-mode
  CLEAR_TRAP
1: ecall
  RECORD
  CHECK_TRAP(1, TR_CAUSE, CAUSE_ECALL_M)
  CHECK_TRAP_ADDR(2, TR_EPC, 1b)
  CLEAR_TRAP
2: .word 0xffffffff
  RECORD
  CHECK_TRAP(3, TR_CAUSE, CAUSE_ILLEGAL)
  CHECK_TRAP(4, TR_TVAL, 0xffffffff)
  CLEAR_TRAP
3: ebreak
  la t0, trap_area        // mtval of a breakpoint may be 0 or the pc (QEMU 7.2: 0, prnr: pc)
  sd zero, TR_TVAL(t0)
  RECORD
  CHECK_TRAP(5, TR_CAUSE, 3)
  // loads from a hole in the memory map: access fault with mtval = address
  CLEAR_TRAP
  li a0, 0x1000000
  ld a1, 8(a0)
  RECORD
  CHECK_TRAP(6, TR_CAUSE, 5)
  CHECK_TRAP(7, TR_TVAL, 0x1000008)
  CLEAR_TRAP
  sw a1, 0(a0)
  RECORD
  CHECK_TRAP(8, TR_CAUSE, 7)
  // fetch from a hole: instruction access fault
  CLEAR_TRAP
  SET_RESUME(4f)
  jalr a0
4: RECORD
  CHECK_TRAP(9, TR_CAUSE, 1)
  CHECK_TRAP(10, TR_TVAL, 0x1000000)

  // ---- ecall from S and U, no paging; mstatus.MPP records the mode
  RUN_S(20, s_ecall, CAUSE_ECALL_S)
  CLEAR_TRAP; GOTO_PRIV(PRV_U, u_ecall_phys, 5f); 5: RECORD
  CHECK_TRAP(21, TR_CAUSE, CAUSE_ECALL_U)
  // MRET stacking: MPIE -> MIE, MPP -> U, MPIE = 1; observed by the next trap's mstatus
  li t0, MSTATUS_MPIE | MSTATUS_SPIE
  csrs mstatus, t0
  RUN_S(22, s_ecall, CAUSE_ECALL_S)
  csrr a0, mstatus
  sd a0, 0(s11)
  addi s11, s11, 8
  // SRET from S to U: SPIE -> SIE, SPP -> U
  li t0, MSTATUS_SPIE | MSTATUS_SPP
  csrc mstatus, t0
  RUN_S(23, s_sret_to_u, CAUSE_ECALL_U)
  // SRET in U is illegal; MRET in S is illegal
  CLEAR_TRAP; GOTO_PRIV(PRV_U, u_sret_phys, 6f); 6: RECORD
  CHECK_TRAP(24, TR_CAUSE, CAUSE_ILLEGAL)
  RUN_S(25, s_mret, CAUSE_ILLEGAL)
  // TSR: SRET in S traps; TW: WFI in S traps
  li t0, 1 << 22
  csrs mstatus, t0
  RUN_S(26, s_sret, CAUSE_ILLEGAL)
  csrc mstatus, t0
  li t0, 1 << 21
  csrs mstatus, t0
  RUN_S(27, s_wfi, CAUSE_ILLEGAL)
  csrc mstatus, t0

  // ---- delegation to S: medeleg sends U ecall, illegal instruction and page faults to stvec
  la t0, strap_entry
  csrw stvec, t0
  li t0, (1 << 8) | (1 << 2) | (1 << 12) | (1 << 13) | (1 << 15)
  csrw medeleg, t0
  CLEAR_TRAP; GOTO_PRIV(PRV_U, u_ecall_phys, 7f); 7: RECORD
  CHECK_TRAP(30, TR_SCAUSE, CAUSE_ECALL_U)
  CHECK_TRAP(31, TR_CAUSE, CAUSE_ECALL_S)   // strap_entry ends with ecall
  RUN_S(32, s_illegal, CAUSE_ECALL_S)
  CHECK_TRAP(33, TR_SCAUSE, CAUSE_ILLEGAL)
  CHECK_TRAP(34, TR_STVAL, 0x00000000ffffffff)
  // ecall from S is not delegated (bit 9 clear): M-mode takes it
  RUN_S(35, s_ecall, CAUSE_ECALL_S)
  CHECK_TRAP(36, TR_SCOUNT, 0)
  // M-mode exceptions are never delegated
  CLEAR_TRAP
  .word 0xffffffff
  CHECK_TRAP(37, TR_CAUSE, CAUSE_ILLEGAL)
  CHECK_TRAP(38, TR_SCOUNT, 0)
  csrw medeleg, zero

  // ---- Sv39
  call build_page_tables
  la t0, pt_root
  srli t0, t0, 12
  li t1, 8 << 60
  or t0, t0, t1
  csrw satp, t0
  sfence.vma
  // S-mode: load and store through 4 KiB pages
  li a0, VBUF
  li a1, 0x1122334455667788
  RUN_S(40, s_store, 15)                    // page 0 is U: S store faults without SUM
  CHECK_TRAP(41, TR_TVAL, VBUF)
  li a0, VBUF + 0x1000                       // page 1: S, RW
  RUN_S(42, s_store, CAUSE_ECALL_S)
  RUN_S(43, s_load, CAUSE_ECALL_S)
  la t0, page1
  ld t1, 0(t0)
  CHECK(44, t1, 0x1122334455667788)
  li a0, VBUF + 0x2000 + 8                   // page 2: S, R only -> store page fault
  RUN_S(45, s_store, 15)
  CHECK_TRAP(46, TR_TVAL, VBUF + 0x2000 + 8)
  RUN_S(47, s_load, CAUSE_ECALL_S)
  li a0, VBUF + 0x3000                       // page 3: S, X only -> load fault unless MXR
  RUN_S(48, s_load, 13)
  li t0, MSTATUS_MXR
  csrs mstatus, t0
  RUN_S(49, s_load, CAUSE_ECALL_S)
  csrc mstatus, t0
  li a0, VBUF + 0x4000 + 0x10                // page 4: invalid
  RUN_S(50, s_load, 13)
  CHECK_TRAP(51, TR_TVAL, VBUF + 0x4010)
  RUN_S(52, s_fetch, 12)
  CHECK_TRAP(53, TR_TVAL, VBUF + 0x4010)
  li a0, VBUF + 0x1000                       // page 1 is not executable
  RUN_S(54, s_fetch, 12)
  // SUM lets S read and write U pages, never execute them
  li a0, VBUF
  li t0, MSTATUS_SUM
  csrs mstatus, t0
  RUN_S(55, s_store, CAUSE_ECALL_S)
  RUN_S(56, s_load, CAUSE_ECALL_S)
  RUN_S(57, s_fetch, 12)
  li t0, MSTATUS_SUM
  csrc mstatus, t0
  RUN_S(58, s_load, 13)
  // A and D set by hardware: page 5 starts with A = D = 0
  li a0, VBUF + 0x5000
  RUN_S(60, s_load, CAUSE_ECALL_S)
  la t0, pt_l0
  ld t1, 5 * 8(t0)
  andi t1, t1, PTE_A | PTE_D
  CHECK(61, t1, PTE_A)
  RUN_S(62, s_store, CAUSE_ECALL_S)
  la t0, pt_l0
  ld t1, 5 * 8(t0)
  andi t1, t1, PTE_A | PTE_D
  CHECK(63, t1, PTE_A | PTE_D)
  // 2 MiB superpage: VA 0x40200000 -> PA 0x80200000
  li a0, 0x40200000 + 0x1238
  li a1, 0x0badc0ffee
  RUN_S(64, s_store, CAUSE_ECALL_S)
  li t0, 0x80201238
  ld t1, 0(t0)
  CHECK(65, t1, 0x0badc0ffee)
  // misaligned 2 MiB superpage (PPN not 2 MiB aligned): page fault
  li a0, 0x40400000
  RUN_S(66, s_load, 13)
  // non-canonical addresses: page faults with the full address in stval/mtval
  li a0, 0x0000008000000000
  RUN_S(67, s_load, 13)
  CHECK_TRAP(68, TR_TVAL, 0x0000008000000000)
  li a0, 0xffff000000000000
  RUN_S(69, s_store, 15)
  CHECK_TRAP(70, TR_TVAL, 0xffff000000000000)
  // U-mode through the 1 GiB U alias: U pages ok, S pages fault
  li a0, VBUF
  RUN_U(71, u_load, CAUSE_ECALL_U)
  li a0, VBUF + 0x1000
  RUN_U(72, u_load, 13)
  // page faults delegated to S: scause/stval
  la t0, strap_entry
  csrw stvec, t0
  li t0, (1 << 12) | (1 << 13) | (1 << 15)
  csrw medeleg, t0
  li a0, VBUF + 0x2000 + 0x18
  RUN_S(73, s_store, CAUSE_ECALL_S)
  CHECK_TRAP(74, TR_SCAUSE, 15)
  CHECK_TRAP(75, TR_STVAL, VBUF + 0x2018)
  csrw medeleg, zero
  // MPRV: M-mode loads with MPP = S go through translation
  li t0, MSTATUS_MPP
  csrc mstatus, t0
  li t0, (PRV_S << 11) | MSTATUS_MPRV
  csrs mstatus, t0
  li a0, VBUF + 0x1000
  ld a2, 0(a0)
  li t0, MSTATUS_MPRV
  csrc mstatus, t0
  CHECK(76, a2, 0x1122334455667788)
  csrw satp, zero
  sfence.vma
  j dump_and_pass

// ---- S and U snippets (a0, a1 arguments)
s_ecall: ecall
s_store: sd a1, 0(a0)
  ecall
s_load: ld a2, 0(a0)
  ecall
s_fetch: jalr a0
  ecall
s_illegal: .word 0xffffffff
  ecall
s_mret: mret
s_sret: sret
s_wfi: wfi
  ecall
s_sret_to_u: la t0, u_ecall_phys
  csrw sepc, t0
  sret
u_ecall_phys: ecall
u_sret_phys: sret
u_load: ld a2, 0(a0)
  ecall

// Root: [1] -> pt_l1 (VA 1 GiB..2 GiB), [2] = 1 GiB identity of RAM (S, RWX),
// [3] = 1 GiB U alias VA 3 GiB -> PA 2 GiB (U, RWX). pt_l1[0] -> pt_l0 (4 KiB pages
// at VA 0x40000000), pt_l1[1] = 2 MiB superpage -> PA 0x80200000,
// pt_l1[2] = misaligned 2 MiB superpage (PPN of 0x80201000).
build_page_tables:
  la t0, pt_root
  la t1, pt_l1
  srli t1, t1, 2
  ori t1, t1, PTE_V
  sd t1, 1 * 8(t0)
  li t1, (0x80000000 >> 2) | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
  sd t1, 2 * 8(t0)
  li t1, (0x80000000 >> 2) | PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D
  sd t1, 3 * 8(t0)
  la t0, pt_l1
  la t1, pt_l0
  srli t1, t1, 2
  ori t1, t1, PTE_V
  sd t1, 0(t0)
  li t1, (0x80200000 >> 2) | PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  sd t1, 1 * 8(t0)
  li t1, (0x80201000 >> 2) | PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  sd t1, 2 * 8(t0)
  la t0, pt_l0
  la t1, page0
  srli t1, t1, 2
  li t2, 1 << 10                                 // next page's PPN
  ori t3, t1, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D
  sd t3, 0(t0)
  add t1, t1, t2
  ori t3, t1, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  sd t3, 8(t0)
  add t1, t1, t2
  ori t3, t1, PTE_V | PTE_R | PTE_A
  sd t3, 16(t0)
  add t1, t1, t2
  ori t3, t1, PTE_V | PTE_X | PTE_A
  sd t3, 24(t0)
  add t1, t1, t2
  ori t3, t1, PTE_R | PTE_W | PTE_A              // V = 0
  sd t3, 32(t0)
  add t1, t1, t2
  ori t3, t1, PTE_V | PTE_R | PTE_W              // A = D = 0
  sd t3, 40(t0)
  ret

  .section .data.sig, "aw"
  .align 3
sig: .skip 64 * 80

  .bss
  .align 12
pt_root: .skip 4096
pt_l1: .skip 4096
pt_l0: .skip 4096
page0: .skip 4096
page1: .skip 4096
page2: .skip 4096
page3: .skip 4096
page4: .skip 4096
page5: .skip 4096
