// The board: every base address, size and IRQ number in one place.
// Mirrors QEMU's `virt` machine (hw/riscv/virt.c, memmap virt_memmap[]).

export const TEST_BASE: u64 = 0x0010_0000; // sifive_test: poweroff / reboot
export const TEST_SIZE: u64 = 0x1000;
export const CLINT_BASE: u64 = 0x0200_0000; // msip, mtimecmp, mtime
export const CLINT_SIZE: u64 = 0x1_0000;
export const PLIC_BASE: u64 = 0x0c00_0000;
export const PLIC_SIZE: u64 = 0x60_0000;
export const UART0_BASE: u64 = 0x1000_0000; // ns16550a
export const UART0_SIZE: u64 = 0x100;
export const UART0_IRQ: u32 = 10;
export const VIRTIO_BASE: u64 = 0x1000_1000; // virtio-mmio slot n at VIRTIO_BASE + n * VIRTIO_STRIDE
export const VIRTIO_STRIDE: u64 = 0x1000;
export const VIRTIO_SLOTS: u32 = 8;
export const VIRTIO_IRQ0: u32 = 1; // slot n raises IRQ VIRTIO_IRQ0 + n
export const VIRTIO_SLOT_BLK: u32 = 0; // our wiring: slot 0 = block device, slot 1 = rng
export const VIRTIO_SLOT_RNG: u32 = 1;
export const RAM_BASE: u64 = 0x8000_0000;

// Boot layout (QEMU virt: firmware at RAM_BASE, kernel at +2 MiB).
export const FIRMWARE_ADDR: u64 = 0x8000_0000;
export const KERNEL_ADDR: u64 = 0x8020_0000;

export const PLIC_SOURCES: u32 = 96; // QEMU virt: VIRT_IRQCHIP_NUM_SOURCES = 96 (sources 1..95)
export const PLIC_CONTEXTS: u32 = 2; // hart 0: context 0 = M-mode, context 1 = S-mode

// Time model (docs/design.md section 2): one tick per retired instruction; mtime = tick / TICKS_PER_MTIME.
export const TIMEBASE_HZ: u64 = 10_000_000;
export const TICKS_PER_MTIME: u64 = 10;

export const PAGE_SIZE_LOG2: u32 = 12;
export const PAGE_SIZE: u64 = 1 << PAGE_SIZE_LOG2;

// Interface versions. MACHINE_API_VERSION is bumped whenever an export changes
// meaning (the host refuses a machine.wasm of another version); STATE_VERSION
// whenever the saveState layout changes (recordings of another version do not load).
export const MACHINE_API_VERSION: u32 = 4;
export const STATE_MAGIC: u32 = 0x4d52_4e50; // "PNRM", little-endian
export const STATE_VERSION: u32 = 1;

// Why an Sv39 walk found no leaf (mmu.ts sv39Walk; the host's translate export reports them).
export const WALK_OK: u32 = 0;
export const WALK_NOT_CANONICAL: u32 = 1; // bits 63..39 differ from bit 38
export const WALK_PTE_OUTSIDE_RAM: u32 = 2; // a page-table entry lies outside RAM: the hart raises an access fault
export const WALK_INVALID_PTE: u32 = 3; // V clear, or W without R
export const WALK_RESERVED_BITS: u32 = 4; // PTE bits 63..54 set (no Svpbmt, Svnapot)
export const WALK_NO_LEAF: u32 = 5; // level 0 points to another table
export const WALK_MISALIGNED_SUPERPAGE: u32 = 6;
export const WALK_SATP_MODE: u32 = 7; // satp names neither Bare nor Sv39 (host translation only)

// Hook events (hooks.ts): bits of the mask the host sets, and the kind of each recorded event.
export const HOOK_SYSCALL: u32 = 1; // ecall from U-mode: tick, pc, a7, a0..a5, satp, sscratch
export const HOOK_SYSRET: u32 = 2; // sret to U-mode: tick, a0
export const HOOK_SATP: u32 = 4; // a satp write: tick, old, new
export const HOOK_WRITE: u32 = 8; // a write overlapping a watched physical range: tick, pc, paddr, info (HOOK_WRITE_*), then bytes
export const HOOK_STOP: u32 = 0x100; // not an event: with it, run() stops right after each syscall entry, sret and write event (the host reads memory as it was there)
export const HOOK_STOP_SATP: u32 = 0x200; // not an event: with it, run() also stops right after each satp write (a virtual watch re-translates there)
// A HOOK_WRITE event's info word: size in bits 0..15, the hart's privilege in 16..17, the source in 24..31.
export const HOOK_WRITE_STORE: u32 = 0; // a store instruction (integer or FP): old word, new word
export const HOOK_WRITE_AMO: u32 = 1; // an AMO or a successful SC: old word, new word
export const HOOK_WRITE_DMA: u32 = 2; // a device's DMA during the notifying store: the new bytes only, ceil(size / 8) words
export const HOOK_WRITE_WALK: u32 = 3; // the hart's page walk setting A/D in a PTE (Privileged spec 4.3.2 step 7): old word, new word
export const HOOK_WATCH_RANGES: u32 = 16; // watched physical ranges at most
export const HOOK_DMA_CHUNK: u32 = 64; // a DMA write is reported in events of at most this many bytes

// Why run() stopped (src/ and wasm/test read these from the module that
// scripts/build-wasm.mjs generates from this file, with StopReason by name).
export const STOP_BUDGET: u32 = 0; // reached untilTick
export const STOP_IDLE: u32 = 1; // WFI with nothing pending before untilTick
export const STOP_OUTPUT: u32 = 2; // console output buffer needs draining
export const STOP_HOOKS: u32 = 3; // hook buffer full
export const STOP_POWEROFF: u32 = 4;
export const STOP_REBOOT: u32 = 5;
export const STOP_BREAKPOINT: u32 = 6;
export const STOP_INPUT: u32 = 7; // the guest waits for input that the host has not given
