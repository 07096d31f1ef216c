// Small statistics for benchmarks: medians and percentiles of samples.

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** Nearest-rank percentile (p in 0..100) of the samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** What the figure is compared with, in words, and the target if the issue names one. */
  note?: string;
}

export function printTable(rows: readonly BenchRow[]): void {
  const nameWidth = Math.max(...rows.map((r) => r.name.length));
  const valueWidth = Math.max(...rows.map((r) => formatValue(r.value).length));
  for (const row of rows) {
    const note = row.note ? `  ${row.note}` : '';
    console.log(`${row.name.padEnd(nameWidth)}  ${formatValue(row.value).padStart(valueWidth)} ${row.unit}${note}`);
  }
}

function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(2);
}
