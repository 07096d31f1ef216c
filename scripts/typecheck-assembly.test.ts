// The machine's sources are under lint and type checks (npm run lint, npm run typecheck):
// AssemblyScript decorators pass, real errors do not.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const script = join(root, 'scripts', 'typecheck-assembly.mjs');

/** Runs the checker on one AssemblyScript file with the machine's compiler options. */
function typecheck(source: string): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'prnr-as-'));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: join(root, 'wasm', 'assembly', 'tsconfig.json'), include: ['./*.ts'] }));
  writeFileSync(join(dir, 'probe.ts'), source);
  const r = spawnSync(process.execPath, [script, join(dir, 'tsconfig.json')], { encoding: 'utf8' });
  return { status: r.status, output: r.stdout + r.stderr };
}

describe('wasm/assembly under the checks', () => {
  it('type-checks AssemblyScript, accepting its decorators and refusing type errors', () => {
    const ok = typecheck('@inline export function twice(x: u64): u64 { return x << 1; }\n@lazy export const big: u64 = 0xffff_ffff_ffff_ffff;\nexport function f(p: usize): u32 { return load<u32>(p) + u32(twice(1) != 0); }\n');
    expect(ok.output).toBe('');
    expect(ok.status).toBe(0);
    const bad = typecheck('@inline export function f(x: u64): u32 { const unused: i32 = 1; return loadd<u32>(<usize>x); }\n');
    expect(bad.status).toBe(1);
    expect(bad.output).toMatch(/Cannot find name 'loadd'/);
    expect(bad.output).toMatch(/'unused' is declared but its value is never read/);
    expect(bad.output).not.toMatch(/TS1206/);
  });

  it('lints wasm/assembly as TypeScript, decorators and all', async () => {
    const eslint = new ESLint({ cwd: root });
    expect(await eslint.isPathIgnored(join(root, 'wasm/assembly/cpu.ts'))).toBe(false);
    const [result] = await eslint.lintText('@inline export function f(x: u64): u64 { let y: u64 = x; return y; }\n', { filePath: join(root, 'wasm/assembly/probe.ts') });
    expect(result!.messages.map((m) => m.ruleId)).toEqual(['prefer-const']);
  });
});
