// `prnr seek FILE --tick T`: the machine state at any tick: restore the last
// snapshot at or before T, run forward injecting the logged inputs, print
// registers, CSRs, memory (physical or virtual) and the console screen.
import { parseArgs } from 'node:util';
import { errorCode, PrnrError } from '../../shared/errors';
import { parseTick } from '../../shared/tick';
import { nodeSha256 } from '../../engine/node/hash';
import { compileMachineModule } from '../../engine/node/machine-module';
import { loadRecordingBootFiles } from '../../engine/node/recording-image';
import { openRecordingFile } from '../../engine/node/recording-file';
import { bootConfigForRecording } from '../../engine/replay/boot';
import { ABI_NAMES, CSR_NUMBERS, DEFAULT_CSRS, PRIV_NAMES } from '../../shared/riscv';
import { ReplayMachine } from '../../engine/replay/replay-machine';
import { seek } from '../../engine/replay/seek';
import { screenAt } from '../../shared/recording/console';
import type { Command } from '../command';
import { UsageError } from '../errors';

const hex64 = (v: bigint) => `0x${BigInt.asUintN(64, v).toString(16).padStart(16, '0')}`;

function parseRange(flag: string, text: string): { addr: bigint; length: number } {
  const m = /^(0x[0-9a-fA-F]+|\d+):(0x[0-9a-fA-F]+|\d+)$/.exec(text.replace(/_/g, ''));
  if (!m) throw new UsageError(`--${flag} takes ADDR:LEN, e.g. 0x80200000:64, got ${JSON.stringify(text)}`);
  const length = Number(BigInt(m[2]));
  if (length <= 0 || length > 1 << 20) throw new UsageError(`--${flag}: LEN must be 1..1048576`);
  return { addr: BigInt(m[1]), length };
}

function hexdump(addr: bigint, bytes: Uint8Array): string[] {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const row = bytes.subarray(i, i + 16);
    const hexPart = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const text = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${(addr + BigInt(i)).toString(16).padStart(16, '0')}  ${hexPart.padEnd(47)}  ${text}`);
  }
  return lines;
}

export const command: Command = {
  name: 'seek',
  summary: 'show the machine state at any tick of a recording',
  usage: [
    'prnr seek FILE.prnr --tick T [--regs] [--csr [NAMES]] [--mem ADDR:LEN] [--vaddr ADDR:LEN] [--screen]',
    '',
    'Restores the last snapshot at or before tick T, runs forward to T injecting the logged inputs,',
    'and prints the state there (default: --regs --screen).',
    '',
    'Options:',
    '  --tick T          the tick (decimal)',
    '  --regs            pc, privilege and the integer registers',
    '  --csr [NAMES]     CSRs, comma-separated names or numbers (default: a common set)',
    '  --mem ADDR:LEN    physical memory, hex dump',
    '  --vaddr ADDR:LEN  virtual memory through the current satp (Sv39 walk, no side effects)',
    '  --screen          the console screen as it looked at T',
    '  --rows N --cols N screen size (default 24x80)',
  ].join('\n'),
  async run(argv) {
    let values: { tick?: string; regs?: boolean; csr?: string; mem?: string[]; vaddr?: string[]; screen?: boolean; rows?: string; cols?: string };
    let positionals: string[];
    // --csr may come without a value: accept "--csr" followed by another flag.
    const args = argv.flatMap((a, i) => (a === '--csr' && (argv[i + 1] === undefined || argv[i + 1].startsWith('-')) ? ['--csr=default'] : [a]));
    try {
      ({ values, positionals } = parseArgs({
        args,
        options: { tick: { type: 'string', short: 't' }, regs: { type: 'boolean' }, csr: { type: 'string' }, mem: { type: 'string', multiple: true }, vaddr: { type: 'string', multiple: true }, screen: { type: 'boolean' }, rows: { type: 'string' }, cols: { type: 'string' } },
        strict: true,
        allowPositionals: true,
      }));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    if (positionals.length !== 1) throw new UsageError('seek takes one recording file');
    if (values.tick === undefined) throw new UsageError('seek needs --tick T');
    let tick: bigint;
    try {
      tick = parseTick(values.tick.replace(/_/g, ''));
    } catch (err) {
      if (errorCode(err) === 'BAD_TICK') throw new UsageError(`--tick: ${(err as Error).message}`);
      throw err;
    }
    const rows = Number(values.rows ?? 24);
    const cols = Number(values.cols ?? 80);
    if (!Number.isInteger(rows) || rows < 1 || rows > 500 || !Number.isInteger(cols) || cols < 1 || cols > 1000) throw new UsageError('--rows must be 1..500 and --cols 1..1000');
    const mems = (values.mem ?? []).map((m) => parseRange('mem', m));
    const vaddrs = (values.vaddr ?? []).map((m) => parseRange('vaddr', m));
    const csrNames = values.csr === undefined ? [] : values.csr === 'default' ? DEFAULT_CSRS : values.csr.split(',').map((s) => s.trim()).filter(Boolean);
    const csrs = csrNames.map((name) => {
      const num = CSR_NUMBERS[name] ?? (/^(0x[0-9a-f]+|\d+)$/i.test(name) ? Number(name) : undefined);
      if (num === undefined) throw new UsageError(`--csr: unknown CSR "${name}" (names: ${Object.keys(CSR_NUMBERS).join(', ')})`);
      return { name, num };
    });
    const nothingAsked = !values.regs && !values.screen && csrs.length === 0 && mems.length === 0 && vaddrs.length === 0;
    const showRegs = values.regs || nothingAsked;
    const showScreen = values.screen || nothingAsked;

    const { recording: rec } = openRecordingFile(positionals[0]);
    const last = rec.snapshots[rec.snapshots.length - 1].tick;
    if (tick > last) throw new PrnrError('RECORDING_RANGE', `tick ${tick} is after the end of the recording (tick ${last})`);
    const out: string[] = [];
    if (showRegs || csrs.length || mems.length || vaddrs.length) {
      const files = await loadRecordingBootFiles(rec.header);
      const rm = await ReplayMachine.create(await compileMachineModule(), rec, bootConfigForRecording(rec.header, files, nodeSha256), nodeSha256);
      const at = seek(rm, tick);
      const m = rm.machine;
      out.push(`tick ${at.tick} (from snapshot ${at.snapshot} at tick ${rec.snapshots[at.snapshot].tick})`);
      if (showRegs) {
        const regs = m.registers();
        out.push(`pc ${hex64(regs.pc)}  privilege ${PRIV_NAMES[regs.priv] ?? regs.priv}`);
        for (let i = 0; i < 32; i += 4) out.push(regs.x.slice(i, i + 4).map((v, j) => `${`x${i + j}/${ABI_NAMES[i + j]}`.padStart(8)} ${hex64(v)}`).join('  '));
      }
      for (const { name, num } of csrs) {
        const v = m.csr(num);
        out.push(`${name.padStart(10)} ${v === undefined ? '(not implemented)' : hex64(v)}`);
      }
      for (const { addr, length } of mems) {
        out.push(`physical ${hex64(addr)} +${length}:`);
        out.push(...hexdump(addr, m.readPhys(Number(addr), length)));
      }
      for (const { addr, length } of vaddrs) {
        const satp = m.csr(0x180) ?? 0n;
        out.push(`virtual ${hex64(addr)} +${length} (satp ${hex64(satp)}):`);
        out.push(...hexdump(addr, m.readVirt(addr, length, satp)));
      }
    }
    if (showScreen) {
      out.push(`screen at tick ${tick} (${rows}x${cols}):`);
      const screen = screenAt(rec, tick, rows, cols);
      out.push(`┌${'─'.repeat(cols)}┐`, ...screen.text().map((l) => `│${l.padEnd(cols)}│`), `└${'─'.repeat(cols)}┘`);
    }
    console.log(out.join('\n'));
    return 0;
  },
};
