// The hot spots dimension (docs/design.md 5): where the hart is, sampled
// every N ticks (the replay stops exactly at each multiple of N), counted per
// address and task, and named in the merge: kernel addresses by System.map,
// user addresses by the program (the default image's binaries are stripped,
// so a user address is named by its program and address).
//
// The task of a sample is the running one (linux/kernel.ts runningTask).
import type { AnalysisEvent, MachineView } from '../../shared/analysis.ts';
import { CSR_NUMBERS } from '../../shared/riscv.ts';
import { integerParams, type AnalysisEnv, type Dimension } from '../dimension.ts';
import { readTask, runningTask, whereOf, type TaskIdentity, type Where } from '../linux/kernel.ts';
import { parseSystemMap, placeName } from '../symbols/system-map.ts';

export interface HotspotsParams {
  /** Ticks between samples. */
  every: number;
  [key: string]: number;
}

/** Samples at one address in one task. */
export interface SampleCount {
  pc: bigint;
  priv: number;
  task: bigint;
  who: TaskIdentity | null;
  count: number;
}

export interface HotspotsPartial {
  samples: SampleCount[];
  total: number;
}

export interface Hotspot {
  /** The function (kernel), or the program and address (user), or the firmware. */
  name: string;
  where: Where;
  count: number;
  /** Of all samples, 0..1. */
  share: number;
}

export interface HotspotsResult {
  every: number;
  total: number;
  /** By function (kernel) or program (user), most sampled first. */
  functions: Hotspot[];
  /** By address, most sampled first (the first 100). */
  addresses: (Hotspot & { pc: bigint; comm: string | null })[];
  /** Per process: samples in U-mode and in the kernel on its behalf. */
  processes: { pid: number | null; comm: string | null; user: number; kernel: number; share: number }[];
  note?: string;
}

const TOP_ADDRESSES = 100;

function observe(params: HotspotsParams, env: AnalysisEnv) {
  const counts = new Map<string, SampleCount>();
  const every = BigInt(params.every);
  let total = 0;
  return {
    event(e: AnalysisEvent, view: MachineView) {
      if (e.kind !== 'sample' || e.tick % every !== 0n) return;
      total++;
      const priv = view.priv();
      const pc = view.pc();
      const task = runningTask(view);
      const key = `${priv}:${pc}:${task}`;
      const have = counts.get(key);
      if (have) {
        have.count++;
        return;
      }
      const who = env.layout && task !== 0n ? readTask(view, env.layout, task, view.csr(CSR_NUMBERS.satp) ?? 0n) ?? null : null;
      counts.set(key, { pc, priv, task, who, count: 1 });
    },
    finish: (): HotspotsPartial => ({ samples: [...counts.values()], total }),
  };
}

export const hotspotsDimension: Dimension<HotspotsParams, HotspotsPartial, HotspotsResult> = {
  name: 'hotspots',
  version: 1,
  summary: 'where the hart spends its time: PC samples every N ticks, symbolised',
  params: (given) => integerParams('hotspots', given, { every: { min: 100, max: 1_000_000_000, default: 10_000, help: 'ticks between samples' } }),
  needs: (params) => ({ sampleEveryTicks: BigInt(params.every) }),
  start: (params, _slice, env) => observe(params, env),
  merge(params, partials, env) {
    const symbols = env.inputs.systemMap ? parseSystemMap(env.inputs.systemMap) : undefined;
    const total = partials.reduce((n, p) => n + p.total, 0);
    const share = (n: number) => (total === 0 ? 0 : n / total);
    const functions = new Map<string, Hotspot>();
    const addresses = new Map<string, Hotspot & { pc: bigint; comm: string | null }>();
    const processes = new Map<string, { pid: number | null; comm: string | null; user: number; kernel: number; share: number }>();
    for (const p of partials) {
      for (const s of p.samples) {
        const w = whereOf(s.priv);
        const comm = s.who?.comm ?? null;
        const hex = `0x${s.pc.toString(16)}`;
        let name: string;
        if (w === 'firmware') name = 'firmware (M-mode)';
        else if (w === 'kernel') {
          const sym = symbols?.lookup(s.pc);
          name = sym ? sym.name : `kernel ${hex}`;
        } else name = `${comm ?? 'unknown task'} (user)`;
        const f = functions.get(`${w}:${name}`) ?? { name, where: w, count: 0, share: 0 };
        f.count += s.count;
        functions.set(`${w}:${name}`, f);
        const at = w === 'user' ? `${comm ?? 'unknown task'} ${hex}` : w === 'kernel' ? placeName(symbols, s.pc) : name;
        const a = addresses.get(`${w}:${hex}:${comm}`) ?? { name: at, where: w, count: 0, share: 0, pc: s.pc, comm };
        a.count += s.count;
        addresses.set(`${w}:${hex}:${comm}`, a);
        if (w !== 'firmware') {
          const key = s.who ? `${s.who.pid}` : 'unknown';
          const proc = processes.get(key) ?? { pid: s.who?.pid ?? null, comm, user: 0, kernel: 0, share: 0 };
          if (w === 'user') proc.user += s.count;
          else proc.kernel += s.count;
          processes.set(key, proc);
        }
      }
    }
    const ranked = <T extends { count: number; share: number }>(items: Iterable<T>) => [...items].map((x) => ({ ...x, share: share(x.count) })).sort((a, b) => b.count - a.count);
    const procs = [...processes.values()].map((p) => ({ ...p, share: share(p.user + p.kernel) })).sort((a, b) => b.user + b.kernel - (a.user + a.kernel));
    const notes = [env.taskNote, symbols ? undefined : 'the image has no System.map, so kernel addresses are not named'].filter(Boolean);
    return { every: params.every, total, functions: ranked(functions.values()), addresses: ranked(addresses.values()).slice(0, TOP_ADDRESSES), processes: procs, note: notes.length ? notes.join('; ') : undefined };
  },
};
