// The process tree (issue 12): the processes result as rows, each under its
// parent, depth-first in pid order; a process whose parent the recording
// never saw is a root.
import type { ProcessInfo } from '../../../analysis/dimensions';

export interface TreeRow {
  process: ProcessInfo;
  depth: number;
}

export function processTree(processes: readonly ProcessInfo[]): TreeRow[] {
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const children = new Map<number | null, ProcessInfo[]>();
  for (const p of processes) {
    const parent = p.ppid !== null && byPid.has(p.ppid) && p.ppid !== p.pid ? p.ppid : null;
    children.set(parent, [...(children.get(parent) ?? []), p]);
  }
  const rows: TreeRow[] = [];
  const seen = new Set<number>();
  const visit = (p: ProcessInfo, depth: number) => {
    if (seen.has(p.pid)) return;
    seen.add(p.pid);
    rows.push({ process: p, depth });
    for (const c of [...(children.get(p.pid) ?? [])].sort((a, b) => a.pid - b.pid)) visit(c, depth + 1);
  };
  for (const root of [...(children.get(null) ?? [])].sort((a, b) => a.pid - b.pid)) visit(root, 0);
  // A cycle of parents (not a tree): list what is left as roots.
  for (const p of processes) visit(p, 0);
  return rows;
}

/** The exit as a person reads it: "exit 0", "exit 1", "reaped (status 0x100)", "running". */
export function exitText(p: ProcessInfo): string {
  if (!p.exit) return 'running';
  if (p.exit.code !== null) return `${p.exit.how === 'exit' ? 'thread exit' : 'exit'} ${p.exit.code}`;
  return p.exit.status !== null ? `reaped (status 0x${p.exit.status.toString(16)})` : 'reaped';
}
