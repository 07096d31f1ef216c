// A kept analysis result (./saved-analyses.ts keeps them in IndexedDB) and
// whether it still answers a request: plain data and a pure check, usable
// where there is no DOM (tests).
import { canonicalParams, type DimensionDescription } from '../../../shared/analysis';

export interface SavedAnalysis {
  recording: string;
  label: string;
  description: DimensionDescription;
  result: unknown;
  /** Per slice, what the timeline paints of it besides the result (hot spots: the slice's hottest place). */
  slices?: unknown[];
  /** How long it took to compute (ms), and when it was saved (ms since the epoch). */
  elapsedMs: number;
  saved: number;
}

/** Whether a kept result answers `current` (same dimension, parameters, version and decoder). */
export function answers(saved: DimensionDescription, current: DimensionDescription): boolean {
  return saved.dimension === current.dimension && saved.version === current.version && saved.code === current.code && saved.label === current.label && canonicalParams(saved.params) === canonicalParams(current.params);
}
