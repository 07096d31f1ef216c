// The syscall table against the image's introspection profile (numbers and
// names extracted from the kernel the image ships) and against itself
// (every kind it names exists, every parameter points at an argument).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseOsProfile } from '../../src/analysis/os-profile.ts';
import { SYSCALLS, syscallName } from '../../src/analysis/syscalls/index.ts';
import { KINDS } from '../../src/analysis/syscalls/kinds.ts';
import { RETURNS } from '../../src/analysis/syscalls/returns.ts';
import { parseTable } from '../../src/analysis/syscalls/table.ts';

const profile = parseOsProfile(readFileSync(new URL('../../public/images/default/profile.json', import.meta.url), 'utf8'));

describe('syscall table', () => {
  it('has exactly the numbers and names of the default image profile', () => {
    const ours = Object.fromEntries([...SYSCALLS].map(([nr, s]) => [String(nr), s.name]));
    expect(Object.keys(profile.syscalls)).toHaveLength(306);
    expect(ours).toEqual(profile.syscalls);
  });

  it('names only kinds and return formats that exist, with parameters that point at arguments', () => {
    for (const spec of SYSCALLS.values()) {
      expect(RETURNS[spec.ret], `${spec.name} = ${spec.ret}`).toBeDefined();
      expect(spec.args.length, spec.name).toBeLessThanOrEqual(6);
      for (const a of spec.args) {
        expect(KINDS[a.kind], `${spec.name}: kind ${a.kind}`).toBeDefined();
        if (typeof a.param === 'number') expect(a.param, `${spec.name}: ${a.kind}@${a.param}`).toBeLessThan(6);
      }
    }
  });

  it('names unknown numbers as strace does', () => {
    expect(syscallName(64)).toBe('write');
    expect(syscallName(258)).toBe('syscall_0x102');
    expect(syscallName(0x1234)).toBe('syscall_0x1234');
  });

  it('rejects malformed lines', () => {
    expect(() => parseTable('12 oops(')).toThrow(/bad line/);
    expect(() => parseTable('12 oops(a b)')).toThrow(/bad argument/);
  });
});
