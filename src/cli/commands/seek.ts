// `prnr seek FILE --tick T`: the machine state at any tick, asked of the
// engine (src/engine/inspect, on this thread: no worker to start): registers,
// CSRs, memory (physical or virtual) and the console screen. The engine
// restores the last snapshot at or before T and runs forward; it loads the
// recording's image only if that snapshot needs units the recording does not
// hold, and a screen alone needs no machine at all.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { codeWindow, kernelSymbolizer, listing } from '../../analysis/code-listing';
import { parseSystemMap, type KernelSymbols } from '../../analysis/symbols/system-map';
import { createNodeEngine } from '../../engine/node/host';
import { resolveImagesDir } from '../../engine/node/images';
import { hex64, hexdump } from '../../shared/hexdump';
import { ABI_NAMES, CSR_NUMBERS, DEFAULT_CSRS, PRIV_NAMES } from '../../shared/riscv';
import { commandUsage, parseCommandArgs, pidOption, rangeOption, tickOption, type OptionTable, JIT_OPTIONS } from '../args';
import type { Command } from '../command';
import { useInterpreterOnly } from '../jit';
import { UsageError } from '../errors';
import { JOBS_HELP, jobsOption } from '../jobs';
import { lastWriteLines, registerChangeLines, searchingEngine } from '../last-write';
import { LAST_WRITE_MAX_BYTES } from '../../engine/inspect/last-write';


/** The image's kernel symbols (public/images/NAME/System.map.gz), if it ships them. */
function kernelSymbols(image: string): KernelSymbols | undefined {
  const file = join(resolveImagesDir(), image, 'System.map.gz');
  return existsSync(file) ? parseSystemMap(gunzipSync(readFileSync(file)).toString('utf8')) : undefined;
}

const options = {
  tick: { type: 'string', short: 't', arg: 'T', help: 'the tick (decimal)' },
  regs: { type: 'boolean', help: 'pc, privilege and the integer registers' },
  csr: { type: 'string', arg: '[NAMES]', help: 'CSRs, comma-separated names or numbers (default: a common set)' },
  mem: { type: 'string', multiple: true, arg: 'ADDR:LEN', help: 'physical memory, hex dump' },
  vaddr: { type: 'string', multiple: true, arg: 'ADDR:LEN', help: 'virtual memory through the current satp (Sv39 walk, no side effects)' },
  disasm: { type: 'boolean', help: 'the instructions around pc, as objdump prints them, with the image\'s System.map symbols' },
  screen: { type: 'boolean', help: 'the console screen as it looked at T' },
  'last-write': { type: 'string', arg: 'PADDR:LEN', help: 'the last write to physical memory at or before T: tick, pc, task, old and new bytes (searches back through the slices)' },
  'last-write-vaddr': { type: 'string', arg: 'VADDR:LEN', help: 'the same for virtual memory, translated through the satp at T (one page at most)' },
  pid: { type: 'string', arg: 'N', help: 'with --last-write-vaddr: the address is virtual in process N, followed back through its\nearlier address-space changes (COW copies, remaps) as a virtual watch does (prnr analyze --watch pid:N:...)' },
  'last-change': { type: 'string', arg: 'REG', help: 'the last change of a register (a0, x10, fa0, ...) at or before T, within T\'s slice' },
  jobs: { type: 'string', short: 'j', arg: 'N', help: `for --last-write: ${JOBS_HELP}` },
  rows: { type: 'string', arg: 'N', help: 'screen rows (default 24)' },
  cols: { type: 'string', arg: 'N', help: 'screen columns (default 80)' },
  ...JIT_OPTIONS,
} as const satisfies OptionTable;

export const command: Command = {
  name: 'seek',
  summary: 'show the machine state at any tick of a recording',
  usage: commandUsage('prnr seek FILE.prnr --tick T [--regs] [--csr [NAMES]] [--mem ADDR:LEN] [--vaddr ADDR:LEN] [--disasm] [--screen] [--last-write PADDR:LEN | --last-write-vaddr VADDR:LEN [--pid N]] [--last-change REG]', [
    'Restores the last snapshot at or before tick T, runs forward to T injecting the logged inputs,',
    'and prints the state there (default: --regs --screen). --last-write and --last-change say',
    'where a value at T came from: the write (or the register change) that left it there.',
  ], options),
  async run(argv) {
    // --csr may come without a value: accept "--csr" followed by another flag or nothing.
    const args = argv.flatMap((a, i) => (a === '--csr' && (argv[i + 1] === undefined || argv[i + 1].startsWith('-')) ? ['--csr=default'] : [a]));
    const { values, positionals } = parseCommandArgs('seek', args, options, { positionals: true });
    if (values['no-jit']) useInterpreterOnly();
    if (positionals.length !== 1) throw new UsageError('seek takes one recording file');
    if (values.tick === undefined) throw new UsageError('seek needs --tick T');
    const tick = tickOption('tick', values.tick);
    const rows = Number(values.rows ?? 24);
    const cols = Number(values.cols ?? 80);
    if (!Number.isInteger(rows) || rows < 1 || rows > 500 || !Number.isInteger(cols) || cols < 1 || cols > 1000) throw new UsageError('--rows must be 1..500 and --cols 1..1000');
    const mems = (values.mem ?? []).map((m) => rangeOption('mem', m));
    const vaddrs = (values.vaddr ?? []).map((m) => rangeOption('vaddr', m));
    const csrNames = values.csr === undefined ? [] : values.csr === 'default' ? DEFAULT_CSRS : values.csr.split(',').map((s) => s.trim()).filter(Boolean);
    const csrs = csrNames.map((name) => {
      const num = CSR_NUMBERS[name] ?? (/^(0x[0-9a-f]+|\d+)$/i.test(name) ? Number(name) : undefined);
      if (num === undefined) throw new UsageError(`--csr: unknown CSR "${name}" (names: ${Object.keys(CSR_NUMBERS).join(', ')})`);
      return { name, num };
    });
    const lastWrite = values['last-write'] === undefined ? undefined : rangeOption('last-write', values['last-write'], LAST_WRITE_MAX_BYTES);
    const lastWriteVirt = values['last-write-vaddr'] === undefined ? undefined : rangeOption('last-write-vaddr', values['last-write-vaddr'], LAST_WRITE_MAX_BYTES);
    const lastChange = values['last-change'];
    if (values.pid !== undefined && lastWriteVirt === undefined) throw new UsageError('--pid goes with --last-write-vaddr');
    const pid = values.pid === undefined ? undefined : pidOption('pid', values.pid);
    const searching = lastWrite !== undefined || lastWriteVirt !== undefined || lastChange !== undefined;
    const jobs = jobsOption(values.jobs);
    const nothingAsked = !values.regs && !values.screen && !values.disasm && csrs.length === 0 && mems.length === 0 && vaddrs.length === 0 && !searching;
    const showRegs = values.regs || nothingAsked;
    const showScreen = values.screen || nothingAsked;

    const engine = searching ? searchingEngine(positionals[0], jobs) : createNodeEngine();
    const { id, header } = await engine.openRecording({ path: positionals[0] });
    const out: string[] = [];
    // A searching engine keeps workers and background work until the recording is closed, so close it whatever happens.
    try {
      if (showRegs || values.disasm || csrs.length || mems.length || vaddrs.length) {
        const at = await engine.seek(id, tick);
        out.push(`tick ${at.tick} (from snapshot ${at.snapshot} at tick ${at.snapshotTick})`);
        if (showRegs) {
          const regs = await engine.registersAt(id, tick);
          out.push(`pc ${hex64(regs.pc)}  privilege ${PRIV_NAMES[regs.priv] ?? regs.priv}`);
          for (let i = 0; i < 32; i += 4) out.push(regs.x.slice(i, i + 4).map((v, j) => `${`x${i + j}/${ABI_NAMES[i + j]}`.padStart(8)} ${hex64(v)}`).join('  '));
        }
        if (csrs.length) {
          const { csrs: values } = await engine.csrsAt(id, tick, csrs.map((c) => c.num));
          values.forEach(({ value }, i) => out.push(`${csrs[i].name.padStart(10)} ${value === undefined ? '(not implemented)' : hex64(value)}`));
        }
        for (const { addr, length } of mems) {
          out.push(`physical ${hex64(addr)} +${length}:`);
          out.push(...hexdump(addr, (await engine.readPhysAt(id, tick, addr, length)).bytes));
        }
        for (const { addr, length } of vaddrs) {
          const { bytes, satp } = await engine.readVirtAt(id, tick, addr, length);
          out.push(`virtual ${hex64(addr)} +${length} (satp ${hex64(satp!)}):`);
          out.push(...hexdump(addr, bytes));
        }
        if (values.disasm) {
          const { pc } = await engine.registersAt(id, tick);
          const { base, length } = codeWindow(pc);
          const code = await engine.readVirtAt(id, tick, base, length);
          const symbols = kernelSymbols(header.image.name);
          out.push(`code around pc ${hex64(pc)}${symbols ? '' : ` (no System.map for image ${header.image.name}: no symbols)`}:`);
          out.push(...listing(code.bytes, base, pc, symbols && kernelSymbolizer(symbols)).lines.map((l) => (l.label ? l.text : `${l.atPc ? '=>' : '  '} ${l.text}`)));
        }
      }
      const again = (flag: string, range: { addr: bigint; length: number }) => (t: bigint) => `prnr seek ${positionals[0]} --tick ${t} --${flag} 0x${range.addr.toString(16)}:${range.length}`;
      if (lastWrite) out.push(...lastWriteLines(await engine.lastWrite(id, { ...lastWrite, tick, jobs }), tick, again('last-write', lastWrite)));
      if (lastWriteVirt && pid !== undefined) {
        const answer = await engine.lastWrite(id, { ...lastWriteVirt, tick, jobs, pid });
        out.push(...lastWriteLines(answer, tick, (t) => `${again('last-write-vaddr', lastWriteVirt)(t)} --pid ${pid}`));
      } else if (lastWriteVirt) {
        const { csrs: [satp] } = await engine.csrsAt(id, tick, [CSR_NUMBERS.satp]);
        const answer = await engine.lastWrite(id, { ...lastWriteVirt, tick, jobs, satp: satp.value });
        out.push(...lastWriteLines(answer, tick, again('last-write', { addr: answer.found ? answer.paddr : lastWriteVirt.addr, length: answer.length })));
      }
      if (lastChange !== undefined) out.push(...registerChangeLines(await engine.lastRegisterChange(id, { reg: lastChange, tick }), tick));
      if (showScreen) {
        const screen = await engine.screenAt(id, tick, rows, cols);
        out.push(`screen at tick ${tick} (${rows}x${cols}):`);
        out.push(`┌${'─'.repeat(cols)}┐`, ...screen.lines.map((l) => `│${l.padEnd(cols)}│`), `└${'─'.repeat(cols)}┘`);
      }
    } finally {
      await engine.closeRecording(id);
    }
    console.log(out.join('\n'));
    return 0;
  },
};
