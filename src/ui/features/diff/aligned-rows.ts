// One process's two traces as the diff view lays them out side by side:
// matching calls on one row, and each divergence's calls paired row by row
// (the longer side's extra calls face a gap), so a reader scans both runs
// down one column of rows.
import type { Divergence, TraceDiff } from '../../../analysis/diff/diff';

export interface AlignedRow {
  /** Indices into each side's calls of this process (undefined: a gap on that side). */
  a?: number;
  b?: number;
  /** The divergence this row belongs to (its index in TraceDiff.divergences), undefined where both sides match. */
  divergence?: number;
}

/** The rows of process `key`: every call of both sides, in order, aligned. */
export function alignedRows(diff: TraceDiff, key: string): AlignedRow[] {
  const lengthA = diff.a.get(key)?.calls.length ?? 0;
  const lengthB = diff.b.get(key)?.calls.length ?? 0;
  const hunks: { d: Divergence; index: number }[] = [];
  diff.divergences.forEach((d, index) => d.key === key && hunks.push({ d, index }));
  hunks.sort((x, y) => x.d.aStart - y.d.aStart || x.d.bStart - y.d.bStart);
  const rows: AlignedRow[] = [];
  let i = 0;
  let j = 0;
  const common = (untilA: number) => {
    while (i < untilA) rows.push({ a: i++, b: j++ });
  };
  for (const { d, index } of hunks) {
    common(d.aStart);
    const n = Math.max(d.aEnd - d.aStart, d.bEnd - d.bStart);
    for (let k = 0; k < n; k++) {
      const a = d.aStart + k < d.aEnd ? d.aStart + k : undefined;
      const b = d.bStart + k < d.bEnd ? d.bStart + k : undefined;
      rows.push({ a, b, divergence: index });
    }
    i = d.aEnd;
    j = d.bEnd;
  }
  common(lengthA);
  if (j !== lengthB) throw new Error(`process ${key}: the alignment leaves ${lengthB - j} calls of B unmatched`);
  return rows;
}
