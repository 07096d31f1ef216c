#!/bin/sh
# Rebuilds mini.bin (committed) from mini.c; needs riscv64-linux-gnu-gcc.
set -e
cd "$(dirname "$0")"
riscv64-linux-gnu-gcc -march=rv64gc -mabi=lp64d -mcmodel=medany -O2 -ffreestanding -fno-builtin -nostdlib -nostartfiles -static \
  -Wl,--build-id=none -Wl,--no-relax -T link.ld crt.S mini.c -o mini.elf
riscv64-linux-gnu-objcopy -O binary mini.elf mini.bin
rm mini.elf
