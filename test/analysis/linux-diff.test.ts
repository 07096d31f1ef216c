// prnr diff on real recordings: two sessions recorded with the same seed are
// equivalent; the two diverge demos (/demo/diverge a and b, one seed) part
// ways first where the shell reads the one differing key, then in the
// diverge process itself, and each divergence's ticks land on its calls
// when sought; bad input exits 2.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Divergence } from '../../src/analysis/diff/diff.ts';
import { createNodeEngine } from '../../src/engine/node/host.ts';
import { CSR_NUMBERS } from '../../src/shared/riscv.ts';
import { prnr } from '../prnr.ts';

const dir = mkdtempSync(join(tmpdir(), 'prnr-diff-'));
const demo = (name: string) => {
  const path = join(dir, `${name}.prnr`);
  writeFileSync(path, gunzipSync(readFileSync(new URL(`../../public/demos/${name}.prnr.gz`, import.meta.url))));
  return path;
};
let a: string;
let b: string;

/** A divergence as `prnr diff --json` prints it: ticks as decimal strings. */
type DivergenceJson = Omit<Divergence, 'aTick' | 'bTick'> & { aTick: string | null; bTick: string | null };

beforeAll(() => {
  a = demo('diverge-a');
  b = demo('diverge-b');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('prnr diff', () => {
  it('finds two sessions recorded with the same seed equivalent (exit 0)', async () => {
    const one = join(dir, 'one.prnr');
    const two = join(dir, 'two.prnr');
    for (const out of [one, two]) expect((await prnr(['record', '--seed', '5', '--cmd', 'ls /demo; echo done', '-o', out])).code).toBe(0);
    const r = await prnr(['diff', one, two, '--jobs', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^equivalent: the syscall traces of A \(.+\) and B \(.+\) match, process by process$/m);
    expect(r.stdout).toMatch(/0 divergences/);
  }, 180_000);

  it('reports where the diverge runs part ways: the shell reading the key, then the program\'s own calls, with ticks that land on them', async () => {
    const text = await prnr(['diff', a, b, '--jobs', '2']);
    expect(text.code, text.stderr).toBe(1);
    expect(text.stdout).toMatch(/^first divergence: process \S+ \(A: \d+ sh, B: \d+ sh\): 2 calls in A where B has 2 calls; A tick \d+, B tick \d+$/m);
    expect(text.stdout).toMatch(/^ {2}- \[\d+\] \d+ sh {2}read\(0, "a", 1\) = 1$/m);
    expect(text.stdout).toMatch(/^ {2}\+ \[\d+\] \d+ sh {2}read\(0, "b", 1\) = 1$/m);
    const json = await prnr(['diff', a, b, '--json']);
    expect(json.code).toBe(1);
    const d = JSON.parse(json.stdout) as { equivalent: boolean; divergences: DivergenceJson[] };
    expect(d.equivalent).toBe(false);
    const [first] = d.divergences;
    // The program: its exec differs in argv, then path A's openat of /tmp/diverge.a against path B's mkdirat.
    const inDiverge = d.divergences.filter((x) => x.key !== first.key);
    expect(inDiverge.length).toBeGreaterThan(0);
    expect(new Set(inDiverge.map((x) => x.key)).size).toBe(1);
    const trace = async (file: string) => (await prnr(['trace', file, '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { tick: string; name: string; args: string[]; pid: number; comm: string; nr: number; pc: string });
    const [ta, tb] = [await trace(a), await trace(b)];
    const at = (t: typeof ta, tick: string | null) => t.find((c) => c.tick === tick)!;
    expect(at(ta, first.aTick)).toMatchObject({ name: 'read', args: ['0', '"a"', '1'], comm: 'sh' });
    expect(at(tb, first.bTick)).toMatchObject({ name: 'read', args: ['0', '"b"', '1'], comm: 'sh' });
    const differing = (t: typeof ta, x: DivergenceJson, side: 'a' | 'b') => {
      const pid = x[side]!.pid;
      const mine = t.filter((c) => c.pid === pid);
      return side === 'a' ? mine.slice(x.aStart, x.aEnd) : mine.slice(x.bStart, x.bEnd);
    };
    const aCalls = inDiverge.flatMap((x) => differing(ta, x, 'a'));
    const bCalls = inDiverge.flatMap((x) => differing(tb, x, 'b'));
    expect(aCalls.some((c) => c.name === 'execve' && c.args[1] === '["/demo/diverge", "a"]')).toBe(true);
    expect(aCalls.some((c) => c.name === 'openat' && c.args[1] === '"/tmp/diverge.a"')).toBe(true);
    expect(bCalls.some((c) => c.name === 'mkdirat' && c.args[1] === '"/tmp/diverge.b"')).toBe(true);
    // Sought, each side's tick is the trap that call's ecall entered.
    const engine = createNodeEngine();
    for (const [file, t, tick] of [[a, ta, first.aTick], [b, tb, first.bTick], [a, ta, inDiverge[0].aTick], [b, tb, inDiverge[0].bTick]] as const) {
      const { id } = await engine.openRecording({ path: file });
      const call = at(t, tick);
      const regs = await engine.registersAt(id, BigInt(tick!));
      const { csrs } = await engine.csrsAt(id, BigInt(tick!), [CSR_NUMBERS.sepc, CSR_NUMBERS.scause]);
      expect(regs.x[17]).toBe(BigInt(call.nr));
      expect(csrs.map((c) => c.value)).toEqual([BigInt(call.pc), 8n]);
    }
  }, 240_000);

  it('exits 2 on bad input', async () => {
    const junk = join(dir, 'junk.prnr');
    writeFileSync(junk, 'PRNR but not really');
    for (const args of [['diff', a], ['diff', a, junk], ['diff', junk, a], ['diff', a, join(dir, 'missing.prnr')], ['diff', a, b, '-C', 'lots']]) {
      const r = await prnr(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^prnr: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  }, 120_000);
});
