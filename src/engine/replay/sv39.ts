// Sv39 address translation in TypeScript over a RAM image, without side
// effects (no A/D updates, no TLB): for seek's memory view by virtual address.
// Privileged spec 4.3.2 (virtual address translation process) and 4.4 (Sv39).
import { PrnrError } from '../../shared/errors';

const RAM_BASE = 0x8000_0000n;
const PTE_V = 1n;
const PTE_R = 2n;
const PTE_W = 4n;
const PTE_X = 8n;

export interface Translation {
  paddr: bigint;
  /** Page size of the leaf: 4 KiB, 2 MiB or 1 GiB. */
  pageBytes: bigint;
}

/** Translates `vaddr` under `satp`; bare mode (satp.MODE = 0) maps identically. Throws PAGE_FAULT when unmapped. */
export function translateSv39(ram: Uint8Array, satp: bigint, vaddr: bigint): Translation {
  const mode = satp >> 60n;
  if (mode === 0n) return { paddr: vaddr, pageBytes: 4096n };
  if (mode !== 8n) throw new PrnrError('PAGE_FAULT', `satp mode ${mode} is not Sv39`);
  const top = vaddr >> 38n;
  if (!(top === 0n || top === (1n << 26n) - 1n)) throw new PrnrError('PAGE_FAULT', `0x${vaddr.toString(16)} is not a canonical Sv39 address`);
  let table = (satp & ((1n << 44n) - 1n)) << 12n;
  const view = new DataView(ram.buffer, ram.byteOffset, ram.byteLength);
  for (let level = 2; level >= 0; level--) {
    const vpn = (vaddr >> (12n + 9n * BigInt(level))) & 0x1ffn;
    const pteAddr = table + vpn * 8n;
    const off = pteAddr - RAM_BASE;
    if (pteAddr < RAM_BASE || off + 8n > BigInt(ram.length)) throw new PrnrError('PAGE_FAULT', `page table entry at 0x${pteAddr.toString(16)} is outside RAM`);
    const pte = view.getBigUint64(Number(off), true);
    if ((pte & PTE_V) === 0n || ((pte & PTE_R) === 0n && (pte & PTE_W) !== 0n)) throw new PrnrError('PAGE_FAULT', `0x${vaddr.toString(16)} is not mapped (level ${level} PTE 0x${pte.toString(16)})`);
    const ppn = (pte >> 10n) & ((1n << 44n) - 1n);
    if ((pte & (PTE_R | PTE_X)) !== 0n) {
      const pageBits = 12n + 9n * BigInt(level);
      const pageBytes = 1n << pageBits;
      if (level > 0 && (ppn & ((1n << (9n * BigInt(level))) - 1n)) !== 0n) throw new PrnrError('PAGE_FAULT', `misaligned superpage for 0x${vaddr.toString(16)}`);
      return { paddr: ((ppn << 12n) & ~(pageBytes - 1n)) | (vaddr & (pageBytes - 1n)), pageBytes };
    }
    table = ppn << 12n;
  }
  throw new PrnrError('PAGE_FAULT', `0x${vaddr.toString(16)} is not mapped (no leaf)`);
}

/** Reads `length` bytes at virtual address `vaddr`, page by page. */
export function readVirtual(ram: Uint8Array, satp: bigint, vaddr: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const va = vaddr + BigInt(done);
    const { paddr } = translateSv39(ram, satp, va);
    const inPage = Number(4096n - (va & 4095n));
    const n = Math.min(inPage, length - done);
    const off = Number(paddr - RAM_BASE);
    if (paddr < RAM_BASE || off + n > ram.length) throw new PrnrError('PHYS_RANGE', `0x${va.toString(16)} maps to 0x${paddr.toString(16)}, outside RAM`);
    out.set(ram.subarray(off, off + n), done);
    done += n;
  }
  return out;
}
