// Names the first component in which two machine states differ (DESIGN.md 3:
// a divergence names a register, a CSR, a device, a page). The CPU section of
// the state blob is decoded with the field layout of wasm/assembly/machine.ts
// saveState(); device sections are found by their 4-character tags.
import { HASH_BYTES } from '../../shared/recording/merkle';
import { registerName } from '../../shared/riscv';

type Field = [name: string, bytes: number];


/** wasm/assembly/machine.ts saveState(), after the 16-byte header and the 'CPU ' tag. */
const CPU_FIELDS: Field[] = [
  ...Array.from({ length: 32 }, (_, i): Field => [registerName(i), 8]),
  ...Array.from({ length: 32 }, (_, i): Field => [`f${i}`, 8]),
  ['pc', 8], ['privilege', 4], ['tick', 8],
  ['mstatus', 8], ['medeleg', 8], ['mideleg', 8], ['mie', 8], ['mip (software bits)', 8], ['mip (interrupt lines)', 8],
  ['mtvec', 8], ['mscratch', 8], ['mepc', 8], ['mcause', 8], ['mtval', 8],
  ['mcounteren', 4], ['mcountinhibit', 4], ['menvcfg', 8],
  ['stvec', 8], ['sscratch', 8], ['sepc', 8], ['scause', 8], ['stval', 8],
  ['scounteren', 4], ['senvcfg', 8], ['satp', 8], ['stimecmp', 8],
  ['frm', 4], ['fflags', 4], ['mcycle offset', 8], ['minstret offset', 8],
  ['WFI waiting', 1], ['LR reservation valid', 1], ['LR reservation address', 8],
  ...Array.from({ length: 16 }, (_, i): Field => [`pmp${i}cfg`, 1]),
  ...Array.from({ length: 16 }, (_, i): Field => [`pmpaddr${i}`, 8]),
];
const HEADER_BYTES = 16;
const CPU_START = HEADER_BYTES + 4;
const DEVICE_TAGS = ['TEST', 'CLNT', 'PLIC', 'UART', 'VIO0', 'VIO1', 'VIO2', 'VIO3', 'VIO4', 'VIO5', 'VIO6', 'VIO7', 'END '];
const DEVICE_NAMES: Record<string, string> = { TEST: 'sifive_test', CLNT: 'CLINT', PLIC: 'PLIC', UART: 'UART', 'END ': 'end marker' };

function readLe(bytes: Uint8Array, at: number, n: number): bigint {
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i] ?? 0);
  return v;
}

function hex(v: bigint): string {
  return `0x${v.toString(16)}`;
}

/** The first differing field of two state blobs, e.g. "register x10 (a0): expected 0x1, got 0x2"; undefined if equal. */
export function diffStateBlobs(expected: Uint8Array, actual: Uint8Array): string | undefined {
  if (expected.length === actual.length && expected.every((b, i) => b === actual[i])) return undefined;
  let first = 0;
  while (first < expected.length && first < actual.length && expected[first] === actual[first]) first++;
  if (first < HEADER_BYTES) return `state header differs at byte ${first}`;
  let at = CPU_START;
  for (const [name, bytes] of CPU_FIELDS) {
    if (first < at + bytes) {
      const kind = name.startsWith('x') || name.startsWith('f') || name === 'pc' ? 'register' : 'CPU field';
      return `${kind} ${name}: expected ${hex(readLe(expected, at, bytes))}, got ${hex(readLe(actual, at, bytes))}`;
    }
    at += bytes;
  }
  // A device section: the last tag at or before the first difference (in the expected blob).
  let section = 'device state';
  let search = at;
  for (const tag of DEVICE_TAGS) {
    const pos = findTag(expected, tag, search);
    if (pos < 0 || pos > first) break;
    section = DEVICE_NAMES[tag] ?? `virtio slot ${tag.slice(3)}`;
    search = pos + 4;
  }
  return `device ${section}: state differs at byte ${first} of the state blob`;
}

function findTag(bytes: Uint8Array, tag: string, from: number): number {
  const c = [...tag].map((ch) => ch.charCodeAt(0));
  for (let i = from; i + 4 <= bytes.length; i++) {
    if (bytes[i] === c[0] && bytes[i + 1] === c[1] && bytes[i + 2] === c[2] && bytes[i + 3] === c[3]) return i;
  }
  return -1;
}

/** The first unit (page or block) whose hash differs, or -1. */
export function firstDifferentUnit(expected: Uint8Array, actual: Uint8Array): number {
  const n = Math.min(expected.length, actual.length) / HASH_BYTES;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < HASH_BYTES; j++) {
      if (expected[i * HASH_BYTES + j] !== actual[i * HASH_BYTES + j]) return i;
    }
  }
  return -1;
}
