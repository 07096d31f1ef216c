# Code rewritten by virtio DMA: a hot loop in the page of code alone (.smc,
# built in versions V = 1, 2, ...) runs ITERS iterations per round; between
# rounds the virtio-blk device reads the next version from the disk (sector
# 8 * round, 4 KiB) over that very page. Even rounds notify the device from
# the driver here, odd rounds from inside the page being overwritten (the
# bytes executed until FENCE.I are the same in every version; the first word
# after it is not). After each round: the sum s2 and s6, the sum of the
# versions' numbers that ran after a rewrite from inside. NO_FENCE_I leaves
# the FENCE.I out (then what runs after the rewrite is not defined by the ISA).
# The test assembles with --defsym V=..., VIRTIO_BASE, VIRTIO_STRIDE, VIRTIO_SLOTS.
.equ ROUNDS, 6
.equ ITERS, 3000
.equ QUEUE_SIZE, 8
# virtio-mmio registers (virtio spec 1.2, 4.2.2) and status bits (2.1).
.equ MMIO_MAGIC, 0x000
.equ MMIO_VERSION, 0x004
.equ MMIO_DEVICE_ID, 0x008
.equ MMIO_DRIVER_FEATURES, 0x020
.equ MMIO_DRIVER_FEATURES_SEL, 0x024
.equ MMIO_QUEUE_SEL, 0x030
.equ MMIO_QUEUE_NUM_MAX, 0x034
.equ MMIO_QUEUE_NUM, 0x038
.equ MMIO_QUEUE_READY, 0x044
.equ MMIO_QUEUE_NOTIFY, 0x050
.equ MMIO_STATUS, 0x070
.equ MMIO_QUEUE_DESC, 0x080
.equ MMIO_QUEUE_DRIVER, 0x090
.equ MMIO_QUEUE_DEVICE, 0x0a0
.equ MAGIC_VIRT, 0x74726976
.equ DEVICE_BLOCK, 2
.equ S_ACKNOWLEDGE, 1
.equ S_DRIVER, 2
.equ S_DRIVER_OK, 4
.equ S_FEATURES_OK, 8
.equ DESC_F_NEXT, 1
.equ DESC_F_WRITE, 2

  .section .text.start, "ax"
  .globl _start
_start:
  la t0, trap_unexpected
  csrw mtvec, t0
  la sp, stack_top
  call blk_find
  call blk_setup
  la s5, used_ring + 2
  li s2, 0
  li s3, 0
  li s6, 0
1:
  call blk_request
  li t0, ITERS
  andi a1, s3, 1
  call dma_loop
  bnez a1, 2f
  sw zero, MMIO_QUEUE_NOTIFY(s1)
3:
  lhu t1, 0(s5)
  bne t1, s4, 3b
  fence rw, rw
  fence.i
2:
  call check_status
  call print_round
  addi s3, s3, 1
  li t1, ROUNDS
  blt s3, t1, 1b
  li t0, ITERS
  li a1, 0
  call dma_loop
  call print_round
  li a0, 0
  j finish

# Prints s2 and s6.
print_round:
  mv s0, ra
  mv a0, s2
  li a4, ' '
  call print_hex
  mv a0, s6
  li a4, '\n'
  call print_hex
  jr s0

# s1 = the first virtio-mmio slot with a block device (QEMU fills the slots from the last one).
blk_find:
  li s1, VIRTIO_BASE
  li t0, VIRTIO_SLOTS
  li t2, MAGIC_VIRT
1:
  lwu t1, MMIO_MAGIC(s1)
  bne t1, t2, 2f
  lwu t1, MMIO_VERSION(s1)
  li t3, 2
  bne t1, t3, 2f
  lwu t1, MMIO_DEVICE_ID(s1)
  li t3, DEVICE_BLOCK
  beq t1, t3, 3f
2:
  li t1, VIRTIO_STRIDE
  add s1, s1, t1
  addi t0, t0, -1
  bnez t0, 1b
  la a1, msg_noblk
  call print_str
  li a0, 3
  j finish
3:
  ret

# Device initialisation (virtio spec 1.2, 3.1.1) and queue 0 (4.2.3.2), no interrupts used.
blk_setup:
  sw zero, MMIO_STATUS(s1)
  li t0, S_ACKNOWLEDGE
  sw t0, MMIO_STATUS(s1)
  li t0, S_ACKNOWLEDGE | S_DRIVER
  sw t0, MMIO_STATUS(s1)
  li t0, 1
  sw t0, MMIO_DRIVER_FEATURES_SEL(s1)
  sw t0, MMIO_DRIVER_FEATURES(s1)      # VIRTIO_F_VERSION_1 (bit 32)
  sw zero, MMIO_DRIVER_FEATURES_SEL(s1)
  sw zero, MMIO_DRIVER_FEATURES(s1)
  li t0, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK
  sw t0, MMIO_STATUS(s1)
  lwu t1, MMIO_STATUS(s1)
  andi t1, t1, S_FEATURES_OK
  beqz t1, 1f
  sw zero, MMIO_QUEUE_SEL(s1)
  lwu t1, MMIO_QUEUE_NUM_MAX(s1)
  li t2, QUEUE_SIZE
  bltu t1, t2, 1f
  sw t2, MMIO_QUEUE_NUM(s1)
  la t1, desc_table
  sw t1, MMIO_QUEUE_DESC(s1)
  sw zero, MMIO_QUEUE_DESC + 4(s1)
  la t1, avail_ring
  sw t1, MMIO_QUEUE_DRIVER(s1)
  sw zero, MMIO_QUEUE_DRIVER + 4(s1)
  la t1, used_ring
  sw t1, MMIO_QUEUE_DEVICE(s1)
  sw zero, MMIO_QUEUE_DEVICE + 4(s1)
  li t1, 1
  sw t1, MMIO_QUEUE_READY(s1)
  li t0, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK
  sw t0, MMIO_STATUS(s1)
  ret
1:
  la a1, msg_setup
  call print_str
  li a0, 4
  j finish

# Makes a read of 4 KiB from sector 8 * s3 into the page of code available
# (not notified); s4 = the used index once it completes.
blk_request:
  la t0, req_header
  sw zero, 0(t0)                       # VIRTIO_BLK_T_IN
  sw zero, 4(t0)
  slli t1, s3, 3
  sd t1, 8(t0)
  la t1, req_status
  li t2, 0xff
  sb t2, 0(t1)
  la t2, desc_table
  sd t0, 0(t2)                         # header: device-readable
  li t3, 16
  sw t3, 8(t2)
  li t3, DESC_F_NEXT | (1 << 16)
  sw t3, 12(t2)
  la t3, dma_loop                      # data: the page of code, device-writable
  sd t3, 16(t2)
  li t3, 4096
  sw t3, 24(t2)
  li t3, DESC_F_NEXT | DESC_F_WRITE | (2 << 16)
  sw t3, 28(t2)
  sd t1, 32(t2)                        # status byte, device-writable
  li t3, 1
  sw t3, 40(t2)
  li t3, DESC_F_WRITE
  sw t3, 44(t2)
  la t0, avail_ring
  lhu t1, 2(t0)
  andi t2, t1, QUEUE_SIZE - 1
  slli t2, t2, 1
  add t2, t2, t0
  sh zero, 4(t2)                       # ring[idx % size] = descriptor 0
  fence w, w
  addi t1, t1, 1
  sh t1, 2(t0)
  fence w, w
  slli s4, t1, 48
  srli s4, s4, 48
  ret

# Fails unless the last request's status byte is VIRTIO_BLK_S_OK.
check_status:
  la t0, req_status
  lbu t0, 0(t0)
  bnez t0, 1f
  ret
1:
  la a1, msg_status
  call print_str
  li a0, 5
  j finish

  .text
.include "bare.inc"

# The page of code: version V.
  .section .smc, "ax"
  .option push
  .option norvc
  .globl dma_loop
dma_loop:
1:
.if V % 2
  addi s2, s2, V
.else
  xori s2, s2, V
.endif
  slli t3, s2, 5
  xor s2, s2, t3
  srli t3, s2, 11
  xor s2, s2, t3
  addi t0, t0, -1
  bnez t0, 1b
  .balign 256
  # From here to dma_tail_new the same bytes in every version.
  beqz a1, 3f
  sw zero, MMIO_QUEUE_NOTIFY(s1)       # the device overwrites this page before the store retires
2:
  lhu t1, 0(s5)
  bne t1, s4, 2b
  fence rw, rw
.ifndef NO_FENCE_I
  fence.i
.endif
  .globl dma_tail_new
dma_tail_new:
  addi s6, s6, V
3:
  ret
  .option pop

  .section .rodata
msg_noblk: .asciz "no virtio-blk device\n"
msg_setup: .asciz "virtio-blk setup failed\n"
msg_status: .asciz "virtio-blk request failed\n"

  .bss
  .balign 4096
desc_table: .skip 16 * QUEUE_SIZE
  .balign 4096
avail_ring: .skip 4 + 2 * QUEUE_SIZE + 2
  .balign 4096
used_ring: .skip 4 + 8 * QUEUE_SIZE + 2
  .balign 16
req_header: .skip 16
req_status: .skip 1
  .balign 16
stack: .skip 4096
stack_top:
