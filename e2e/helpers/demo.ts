// A demo recording that ships with the app (public/demos), inflated into a
// temporary file for `prnr seek` and served to the page at a test URL.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { prnr } from '../../test/prnr';

export interface DemoRecording {
  id: string;
  title: string;
  file: string;
  bytes: Uint8Array;
  endTick: bigint;
  slices: number;
}

const DEMOS = new URL('../../public/demos/', import.meta.url);

export function loadDemo(name: string): DemoRecording {
  const manifest = JSON.parse(readFileSync(new URL('manifest.json', DEMOS), 'utf8')) as { demos: { id: string; name: string; title: string; file: string; ticks: string; slices: number }[] };
  const demo = manifest.demos.find((d) => d.name === name);
  if (!demo) throw new Error(`no demo ${name} in public/demos/manifest.json (npm run demos)`);
  const bytes = new Uint8Array(gunzipSync(readFileSync(new URL(demo.file, DEMOS))));
  const file = join(mkdtempSync(join(tmpdir(), 'prnr-e2e-')), `${name}.prnr`);
  writeFileSync(file, bytes);
  return { id: demo.id, title: demo.title, file, bytes, endTick: BigInt(demo.ticks), slices: demo.slices };
}

/** Serves `bytes` to the page at `path` (a URL of the app's origin). */
export async function serveRecording(page: Page, path: string, bytes: Uint8Array): Promise<void> {
  await page.context().route((url) => url.pathname === path, (route) => route.fulfill({ status: 200, contentType: 'application/octet-stream', body: Buffer.from(bytes) }));
}

export interface SeekOutput {
  pc: string;
  privilege: string;
  regs: Record<string, string>;
  screen: string[];
  memory: string[];
}

/** What `prnr seek FILE --tick T --regs --screen [--mem|--vaddr ADDR:LEN]` prints, parsed. */
export async function prnrSeek(file: string, tick: bigint, mem?: { addr: string; length: number; space: 'phys' | 'virt' }): Promise<SeekOutput> {
  const args = ['seek', file, '--tick', String(tick), '--regs', '--screen'];
  if (mem) args.push(mem.space === 'phys' ? '--mem' : '--vaddr', `${mem.addr}:${mem.length}`);
  const { code, stdout, stderr } = await prnr(args);
  if (code !== 0) throw new Error(`prnr ${args.join(' ')} failed: ${stderr}`);
  const lines = stdout.split('\n');
  const pcLine = /^pc (0x[0-9a-f]{16}) {2}privilege (\S+)/.exec(lines.find((l) => l.startsWith('pc ')) ?? '');
  if (!pcLine) throw new Error(`no pc in prnr seek's output:\n${stdout}`);
  const regs: Record<string, string> = {};
  for (const m of stdout.matchAll(/x\d+\/(\w+) (0x[0-9a-f]{16})/g)) regs[m[1]!] = m[2]!;
  const top = lines.findIndex((l) => l.startsWith('┌'));
  const bottom = lines.findIndex((l) => l.startsWith('└'));
  const screen = lines.slice(top + 1, bottom).map((l) => l.slice(1, -1).trimEnd());
  const memStart = lines.findIndex((l) => /^(physical|virtual) 0x/.test(l));
  const memory = memStart < 0 ? [] : lines.slice(memStart + 1, lines.findIndex((l, i) => i > memStart && !/^[0-9a-f]{16} {2}/.test(l)));
  return { pc: pcLine[1]!, privilege: pcLine[2]!, regs, screen, memory };
}

/** One call as `prnr trace --json` prints it (src/analysis/trace.ts CallJson; the fields tests read). */
export interface TracedCallJson {
  tick: string;
  endTick: string | null;
  pid: number | null;
  comm: string | null;
  name: string;
  args: string[];
  ret: string;
}

/** `prnr trace FILE --json [ARGS...]`, one object per call. */
export async function prnrTraceJson(file: string, args: string[] = []): Promise<TracedCallJson[]> {
  const { code, stdout, stderr } = await prnr(['trace', file, '--json', ...args]);
  if (code !== 0) throw new Error(`prnr trace ${args.join(' ')} failed: ${stderr}`);
  return stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as TracedCallJson);
}
