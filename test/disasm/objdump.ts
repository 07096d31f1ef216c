// Helpers for comparing src/analysis/disasm with GNU objdump: run objdump,
// parse its listing, compare line by line; read the code sections and the
// privileged-spec attribute of an ELF, and files out of a newc cpio archive.
import { execFileSync, spawnSync } from 'node:child_process';
import { Disassembler, objdumpHex, type Instruction, type PrivSpec } from '../../src/analysis/disasm/index.ts';

export const OBJDUMP = process.env.PRNR_OBJDUMP ?? 'riscv64-linux-gnu-objdump';

/** objdump's version line, or undefined when it is not installed. */
export function objdumpVersion(): string | undefined {
  const run = spawnSync(OBJDUMP, ['--version'], { encoding: 'utf8' });
  return run.status === 0 ? run.stdout.split('\n')[0] : undefined;
}

export function objdump(args: string[]): string {
  return execFileSync(OBJDUMP, args, { maxBuffer: 2 ** 31, encoding: 'utf8' });
}

/** One instruction line of an objdump listing. */
export interface ObjdumpLine {
  address: bigint;
  /** The bytes column, chunks separated by single spaces (continuation lines joined). */
  hex: string;
  /** Everything after the bytes column, trailing whitespace removed. */
  text: string;
}

/**
 * The instruction lines of `listing`. Section and symbol headers, blank
 * lines and "..." (objdump's elided runs of zeros) are not instructions; a
 * line with an address and bytes but no text continues the bytes of the
 * line before (instructions longer than 8 bytes).
 */
export function parseObjdump(listing: string): ObjdumpLine[] {
  const lines: ObjdumpLine[] = [];
  for (const line of listing.split('\n')) {
    const m = /^\s*([0-9a-f]+):\t(.*)$/.exec(line);
    if (!m) continue;
    const tab = m[2].indexOf('\t');
    if (tab < 0) {
      const prev = lines.at(-1);
      if (prev) prev.hex += ` ${m[2].trim()}`;
      continue;
    }
    lines.push({ address: BigInt(`0x${m[1]}`), hex: m[2].slice(0, tab).trim().replace(/\s+/g, ' '), text: m[2].slice(tab + 1).trimEnd() });
  }
  return lines;
}

export interface Mismatch {
  address: bigint;
  objdump: string;
  ours: string;
}

export interface Comparison {
  compared: number;
  mismatches: Mismatch[];
}

/** Compare every line objdump printed with our instruction at the same address (text and bytes). */
export function compare(expected: ObjdumpLine[], ours: Iterable<Instruction>): Comparison {
  const byAddress = new Map<bigint, Instruction>();
  for (const insn of ours) byAddress.set(insn.address, insn);
  const mismatches: Mismatch[] = [];
  for (const line of expected) {
    const insn = byAddress.get(line.address);
    const got = insn === undefined ? '<no instruction here>' : `${objdumpHex(insn)}\t${insn.text}`;
    if (got !== `${line.hex}\t${line.text}`) mismatches.push({ address: line.address, objdump: `${line.hex}\t${line.text}`, ours: got });
  }
  return { compared: expected.length, mismatches };
}

/** A raw binary (`objdump -D -b binary`) compared with our disassembly of the same bytes. */
export function compareRaw(file: string, bytes: Uint8Array, vma: bigint): Comparison {
  const listing = objdump(['-D', '-b', 'binary', '-m', 'riscv:rv64', `--adjust-vma=0x${vma.toString(16)}`, file]);
  return compare(parseObjdump(listing), new Disassembler().instructions(bytes, vma));
}

export interface ElfSection {
  name: string;
  address: bigint;
  bytes: Uint8Array;
}

/** The SHF_EXECINSTR sections of an ELF64 little-endian file, in header order (the order objdump -d takes them). */
export function elfCodeSections(file: Uint8Array): ElfSection[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (view.getUint32(0, false) !== 0x7f454c46 || file[4] !== 2 || file[5] !== 1) throw new Error('not an ELF64 little-endian file');
  const shoff = Number(view.getBigUint64(0x28, true));
  const shentsize = view.getUint16(0x3a, true), shnum = view.getUint16(0x3c, true), shstrndx = view.getUint16(0x3e, true);
  const header = (i: number) => {
    const at = shoff + i * shentsize;
    return {
      name: view.getUint32(at, true), type: view.getUint32(at + 4, true), flags: view.getBigUint64(at + 8, true),
      address: view.getBigUint64(at + 16, true), offset: Number(view.getBigUint64(at + 24, true)), size: Number(view.getBigUint64(at + 32, true)),
    };
  };
  const strtab = header(shstrndx);
  const nameAt = (off: number) => {
    let end = strtab.offset + off;
    while (file[end] !== 0) end++;
    return new TextDecoder().decode(file.subarray(strtab.offset + off, end));
  };
  const SHT_NOBITS = 8, SHF_EXECINSTR = 4n;
  const sections: ElfSection[] = [];
  for (let i = 1; i < shnum; i++) {
    const h = header(i);
    if ((h.flags & SHF_EXECINSTR) !== 0n && h.type !== SHT_NOBITS) {
      sections.push({ name: nameAt(h.name), address: h.address, bytes: file.subarray(h.offset, h.offset + h.size) });
    }
  }
  return sections;
}

/** The privileged spec an ELF's .riscv.attributes name (Tag_RISCV_priv_spec 8, _minor 10, _revision 12), as objdump picks its CSR names by. */
export function elfPrivSpec(file: Uint8Array): PrivSpec | undefined {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const shoff = Number(view.getBigUint64(0x28, true));
  const shentsize = view.getUint16(0x3a, true), shnum = view.getUint16(0x3c, true);
  const SHT_RISCV_ATTRIBUTES = 0x70000003;
  for (let i = 1; i < shnum; i++) {
    const at = shoff + i * shentsize;
    if (view.getUint32(at + 4, true) !== SHT_RISCV_ATTRIBUTES) continue;
    const start = Number(view.getBigUint64(at + 24, true)), size = Number(view.getBigUint64(at + 32, true));
    const tags = readAttributes(file.subarray(start, start + size));
    const [major, minor = 0, revision = 0] = [tags.get(8), tags.get(10), tags.get(12)];
    if (major === undefined) return undefined;
    const name = revision ? `${major}.${minor}.${revision}` : `${major}.${minor}`;
    return (['1.9.1', '1.10', '1.11', '1.12'] as const).find((spec) => spec === name);
  }
  return undefined;
}

/** The integer tags of the "riscv" file attributes ("A", vendor subsection, Tag_File; odd tags are strings). */
function readAttributes(section: Uint8Array): Map<number, number> {
  const tags = new Map<number, number>();
  let at = 1; // 'A'
  const uleb = () => {
    let value = 0, shift = 0, byte: number;
    do {
      byte = section[at++];
      value |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  at += 4; // subsection length
  while (section[at] !== 0) at++; // "riscv"
  at += 1 + 1 + 4; // NUL, Tag_File, its length
  while (at < section.length) {
    const tag = uleb();
    if (tag % 2 === 1) {
      while (section[at] !== 0) at++;
      at++;
    } else tags.set(tag, uleb());
  }
  return tags;
}

/** The regular files of a newc ("070701") cpio archive, by path without a leading "./" or "/". */
export function readCpio(archive: Uint8Array): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const text = new TextDecoder();
  const pad4 = (n: number) => (n + 3) & ~3;
  for (let at = 0; at + 110 <= archive.length; ) {
    const head = text.decode(archive.subarray(at, at + 110));
    if (!head.startsWith('070701')) throw new Error(`cpio: bad magic at ${at}`);
    const field = (i: number) => parseInt(head.slice(6 + 8 * i, 14 + 8 * i), 16);
    const mode = field(1), fileSize = field(6), nameSize = field(11);
    const name = text.decode(archive.subarray(at + 110, at + 110 + nameSize - 1));
    if (name === 'TRAILER!!!') break;
    const dataAt = pad4(at + 110 + nameSize);
    if ((mode & 0o170000) === 0o100000) files.set(name.replace(/^\.?\//, ''), archive.subarray(dataAt, dataAt + fileSize));
    at = pad4(dataAt + fileSize);
  }
  return files;
}
