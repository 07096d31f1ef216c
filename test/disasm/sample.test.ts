// The disassembler against test/disasm/sample.expect (objdump's listing of a
// sample of every mnemonic; see sample.ts): runs without objdump installed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Disassembler } from '../../src/analysis/disasm/index.ts';
import { compare } from './objdump.ts';
import { SAMPLE_PATH, bytesOfHex, parseSample } from './sample.ts';

describe('disassembly of the objdump sample', () => {
  it('equals objdump line by line (bytes column and text)', () => {
    const lines = parseSample(readFileSync(SAMPLE_PATH, 'utf8'));
    const bytes = new Uint8Array(lines.flatMap((l) => bytesOfHex(l.hex)));
    const result = compare(lines, new Disassembler().instructions(bytes, 0n));
    expect(result.mismatches.slice(0, 10)).toEqual([]);
    expect(new Set(lines.map((l) => l.text.split('\t')[0])).size).toBeGreaterThan(200);
  });
});
