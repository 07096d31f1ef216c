// The generator of src/shared/machine-constants.ts (scripts/machine-constants.mjs).
import { describe, it, expect } from 'vitest';
import { generateConstantsModule } from './machine-constants.mjs';

const generate = (source: string) => generateConstantsModule(source, 'constants.ts');

describe('generateConstantsModule', () => {
  it('evaluates expressions over earlier constants, u64 as bigint and the rest as numbers', () => {
    const out = generate([
      'export const SHIFT: u32 = 12; // page size, log2',
      'export const SIZE: u64 = 1 << SHIFT;',
      'export const BASE: u64 = 0x8000_0000;',
      'export const TOP: u64 = BASE + (<u64>SIZE * 3) - 1;',
      'export const MASK: u32 = ~0;',
      'export const NEG: i32 = -5;',
    ].join('\n'));
    expect(out).toContain('/** page size, log2 */\nexport const SHIFT = 12;\n');
    expect(out).toContain('export const SIZE = 4096n;\n');
    expect(out).toContain('export const BASE = 0x8000_0000n;\n');
    expect(out).toContain('export const TOP = 0x8000_2fffn;\n');
    expect(out).toContain('export const MASK = 4294967295;\n'); // u32 wraps as the machine's arithmetic does
    expect(out).toContain('export const NEG = -5;\n');
  });

  it('gathers STOP_* into StopReason, by lower-case name', () => {
    const out = generate('export const STOP_BUDGET: u32 = 0;\nexport const STOP_HOOK_FULL: u32 = 3;');
    expect(out).toContain('export const StopReason = {\n  budget: STOP_BUDGET,\n  hook_full: STOP_HOOK_FULL,\n} as const;');
  });

  it('keeps a block comment above a constant as its doc comment', () => {
    const out = generate('// unrelated\n\n// first line\n// second line\nexport const A: u32 = 1;');
    expect(out).toContain('/** first line second line */\nexport const A = 1;');
    expect(out).not.toContain('unrelated');
  });

  it('refuses what it cannot evaluate, naming the line', () => {
    expect(() => generate('export const A: u32 = 1;\nexport const B: u32 = f(A);')).toThrow(/constants\.ts:2: cannot evaluate f\(A\)/);
    expect(() => generate('export const A: u32 = B;')).toThrow(/B is not an earlier constant/);
    expect(() => generate('export const A: f64 = 1;')).toThrow(/type f64/);
    expect(() => generate('const A: u32 = 1;')).toThrow(/only `export const/);
    expect(() => generate('export function f(): void {}')).toThrow(/only `export const/);
  });
});
