// CSR names as objdump prints them for a privileged spec version. Names of
// the current spec (1.12) come from src/shared/riscv.ts; this file holds
// only their history (binutils' DECLARE_CSR define/abort versions): the
// names older specs used and the spec each newer CSR first appeared in. An
// ELF's Tag_RISCV_priv_spec attributes choose the version (glibc's demo
// binaries say 1.11); a raw image gets the newest.
import { knownCsrName } from '../../shared/riscv.ts';

export const PRIV_SPECS = ['1.9.1', '1.10', '1.11', '1.12'] as const;
export type PrivSpec = (typeof PRIV_SPECS)[number];
const V191 = 0, V110 = 1, V111 = 2, V112 = 3;

/** Names of older specs: [number, name, first spec, first spec without it]. */
const RETIRED: readonly (readonly [number, string, number, number])[] = [
  [0x000, 'ustatus', V191, V112], [0x004, 'uie', V191, V112], [0x005, 'utvec', V191, V112],
  [0x040, 'uscratch', V191, V112], [0x041, 'uepc', V191, V112], [0x042, 'ucause', V191, V112],
  [0x043, 'ubadaddr', V191, V110], [0x043, 'utval', V110, V112], [0x044, 'uip', V191, V112],
  [0x102, 'sedeleg', V191, V112], [0x103, 'sideleg', V191, V112],
  [0x143, 'sbadaddr', V191, V110], [0x180, 'sptbr', V191, V110],
  [0x320, 'mucounteren', V191, V110], [0x321, 'mscounteren', V191, V110], [0x322, 'mhcounteren', V191, V110],
  [0x343, 'mbadaddr', V191, V110],
  [0x380, 'mbase', V191, V110], [0x381, 'mbound', V191, V110], [0x382, 'mibase', V191, V110],
  [0x383, 'mibound', V191, V110], [0x384, 'mdbase', V191, V110], [0x385, 'mdbound', V191, V110],
];

/** Current names that older specs lack: [first number, last number, first spec with them]. */
const INTRODUCED: readonly (readonly [number, number, number])[] = [
  [0x106, 0x106, V110], [0x143, 0x143, V110], [0x180, 0x180, V110], [0x306, 0x306, V110], [0x343, 0x343, V110],
  [0x3a0, 0x3a3, V110], [0x3b0, 0x3bf, V110], [0x320, 0x320, V111],
  [0x10a, 0x10a, V112], [0x30a, 0x30a, V112], [0x310, 0x310, V112], [0x31a, 0x31a, V112], [0x34a, 0x34b, V112],
  [0x3a4, 0x3af, V112], [0x3c0, 0x3ef, V112], [0x747, 0x747, V112], [0x757, 0x757, V112], [0xf15, 0xf15, V112],
];

/** One lookup table per spec version, built on first use. */
const tables = new Map<PrivSpec, (string | undefined)[]>();

function buildTable(spec: PrivSpec): (string | undefined)[] {
  const v = PRIV_SPECS.indexOf(spec);
  const table = Array.from({ length: 4096 }, (_, num) => knownCsrName(num));
  for (const [first, last, since] of INTRODUCED) {
    if (v < since) for (let num = first; num <= last; num++) table[num] = undefined;
  }
  for (const [num, name, from, until] of RETIRED) if (v >= from && v < until) table[num] = name;
  return table;
}

/** The name objdump prints for CSR `num` under `spec`, or undefined (it prints the number). */
export function csrNameFor(num: number, spec: PrivSpec): string | undefined {
  let table = tables.get(spec);
  if (table === undefined) tables.set(spec, (table = buildTable(spec)));
  return table[num & 0xfff];
}
