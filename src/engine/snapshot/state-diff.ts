// Names the first component in which two machine states differ (docs/design.md 3:
// a divergence names a register, a CSR, a device, a page). The state blob is
// decoded with the layout the machine itself reports (STATE_LAYOUT, generated
// by the build from the walk that saves and loads the blob: wasm/assembly/
// machine.ts stateFields): fixed-width header and CPU fields by offset, then
// device sections, which vary in length, by their 4-character tags.
import { HASH_BYTES } from '../../shared/recording/merkle';
import { registerName } from '../../shared/riscv';
import { STATE_LAYOUT } from '../../shared/machine-layout';

function readLe(bytes: Uint8Array, at: number, n: number): bigint {
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i] ?? 0);
  return v;
}

function hex(v: bigint): string {
  return `0x${v.toString(16)}`;
}

/** "register x10 (a0)", "register pc", "CPU field mstatus", "state header version". */
function fieldLabel(name: string, inHeader: boolean): string {
  if (inHeader) return `state header ${name}`;
  const x = /^x(\d+)$/.exec(name);
  if (x) return `register ${registerName(Number(x[1]))}`;
  if (/^f\d+$/.test(name) || name === 'pc') return `register ${name}`;
  return `CPU field ${name}`;
}

/** The first differing field of two state blobs, e.g. "register x10 (a0): expected 0x1, got 0x2"; undefined if equal. */
export function diffStateBlobs(expected: Uint8Array, actual: Uint8Array): string | undefined {
  if (expected.length === actual.length && expected.every((b, i) => b === actual[i])) return undefined;
  let first = 0;
  while (first < expected.length && first < actual.length && expected[first] === actual[first]) first++;
  let at = 0;
  let fixed = true;
  let inHeader = true;
  let section = 'state header';
  for (const entry of STATE_LAYOUT) {
    if (entry.kind === 'device') {
      fixed = false; // from here on, sections are found by their tags
      continue;
    }
    if (!fixed) {
      if (entry.kind !== 'tag') break;
      const pos = findTag(expected, entry.tag, at);
      if (pos < 0 || pos > first) break;
      at = pos + 4;
      section = entry.name;
      continue;
    }
    const bytes = entry.kind === 'field' ? entry.bytes : 4;
    if (first < at + bytes) {
      if (entry.kind === 'tag') return `state section tag '${entry.tag}' (${entry.name}) differs at byte ${first} of the state blob`;
      return `${fieldLabel(entry.name, inHeader)}: expected ${hex(readLe(expected, at, bytes))}, got ${hex(readLe(actual, at, bytes))}`;
    }
    at += bytes;
    if (entry.kind === 'tag') {
      inHeader = false;
      section = entry.name;
    }
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
