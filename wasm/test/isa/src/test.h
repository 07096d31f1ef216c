// Shared macros of the ISA test programs (see ../README.md).
.option nopic
// A program defines `main` (entered in M-mode with sp set, mtvec = trap_entry)
// and ends with `j pass` or a failed check, which jumps to `fail` with the
// test number in gp. pass/fail write to the sifive_test finisher at 0x100000.
#define TEST_FINISHER 0x100000
#define UART_THR 0x10000000
#define CLINT_MSIP 0x2000000
#define CLINT_MTIMECMP 0x2004000
#define CLINT_MTIME 0x200bff8

// trap_area layout (crt.S): what the last trap recorded.
#define TR_T1 0
#define TR_T2 8
#define TR_CAUSE 16
#define TR_EPC 24
#define TR_TVAL 32
#define TR_COUNT 40
#define TR_RESUME 48
#define TR_STATUS 56
#define TR_SCAUSE 64
#define TR_SEPC 72
#define TR_STVAL 80
#define TR_SCOUNT 88
#define TR_SSTATUS 96
#define TR_SIZE 128

#define MSTATUS_SIE (1 << 1)
#define MSTATUS_MIE (1 << 3)
#define MSTATUS_SPIE (1 << 5)
#define MSTATUS_MPIE (1 << 7)
#define MSTATUS_SPP (1 << 8)
#define MSTATUS_MPP (3 << 11)
#define MSTATUS_FS (3 << 13)
#define MSTATUS_MPRV (1 << 17)
#define MSTATUS_SUM (1 << 18)
#define MSTATUS_MXR (1 << 19)

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

// Compare register `reg` with the constant `expected`; on mismatch fail with test number n.
#define CHECK(n, reg, expected) \
  li gp, n; li t6, expected; beq reg, t6, 9f; j fail; 9:

// rd = inst(v1, v2), compared with result. Uses a1, a2, a4, t6.
#define TEST_RR(n, inst, result, v1, v2) \
  li a1, v1; li a2, v2; inst a4, a1, a2; CHECK(n, a4, result)

// rd = inst(v1, imm)
#define TEST_RI(n, inst, result, v1, imm) \
  li a1, v1; inst a4, a1, imm; CHECK(n, a4, result)

// Clear the trap record (count, cause, tval, epc).
#define CLEAR_TRAP \
  la t0, trap_area; sd zero, TR_COUNT(t0); sd zero, TR_CAUSE(t0); sd zero, TR_TVAL(t0); sd zero, TR_EPC(t0); \
  sd zero, TR_SCOUNT(t0); sd zero, TR_SCAUSE(t0); sd zero, TR_STVAL(t0); sd zero, TR_SEPC(t0)

// Check a field of the trap record.
#define CHECK_TRAP(n, field, expected) \
  la t5, trap_area; ld t5, field(t5); CHECK(n, t5, expected)

// Check a field of the trap record against a label's address.
#define CHECK_TRAP_ADDR(n, field, label) \
  li gp, n; la t5, trap_area; ld t5, field(t5); la t6, label; beq t5, t6, 9f; j fail; 9:

// The next M-mode trap resumes at `label` in M-mode (instead of skipping the instruction).
#define SET_RESUME(label) la t0, label; la t1, trap_area; sd t0, TR_RESUME(t1)

// Enter privilege `prv` at `target`; the first trap to M-mode comes back to `resume` in M-mode.
#define GOTO_PRIV(prv, target, resume) \
  SET_RESUME(resume); li t0, MSTATUS_MPP; csrc mstatus, t0; li t0, (prv) << 11; csrs mstatus, t0; \
  la t0, target; csrw mepc, t0; mret

// Run `label` at privilege prv (it ends with ecall or traps to M-mode) and
// check the cause of the trap that came back.
#define IN_PRIV(n, prv, label, cause) \
  CLEAR_TRAP; GOTO_PRIV(prv, label, 8f); 8: CHECK_TRAP(n, TR_CAUSE, cause)

#define CAUSE_ILLEGAL 2
#define CAUSE_ECALL_U 8
#define CAUSE_ECALL_S 9
#define CAUSE_ECALL_M 11
