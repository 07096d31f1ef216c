// Analysis results on disk, beside the recording (`demo.prnr.analysis/`) or
// in a directory of the caller's choice (docs/design.md 5): every slice's
// partial under cache/, keyed by dimension, version and parameters and
// checked against the recording's digest when read, so a second run replays
// nothing; and each dimension's merged result, with its provenance, as
// <dimension>.json. Files are written to a temporary name and renamed.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { canonicalParams, decodeAnalysisJson, encodeAnalysisJson, type Provenance } from '../../shared/analysis';
import type { AnalysisCache, PartialKey } from '../analyze/run';
import { sha256Hex } from './images';

export const ANALYSIS_DIR_SUFFIX = '.analysis';

/** Where analyses of the recording at `recordingPath` go by default. */
export function defaultAnalysisDir(recordingPath: string): string {
  return `${recordingPath}${ANALYSIS_DIR_SUFFIX}`;
}

function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

function sameKey(a: PartialKey, b: PartialKey): boolean {
  return a.recording === b.recording && a.dimension === b.dimension && a.version === b.version && a.code === b.code && a.slice === b.slice && canonicalParams(a.params) === canonicalParams(b.params);
}

export class AnalysisStore implements AnalysisCache {
  constructor(readonly dir: string) {}

  private partialPath(key: PartialKey): string {
    const params = sha256Hex(new TextEncoder().encode(`${key.code} ${canonicalParams(key.params)}`)).slice(0, 16);
    return join(this.dir, 'cache', key.dimension, `v${key.version}-${params}`, `slice-${String(key.slice).padStart(5, '0')}.json`);
  }

  get(key: PartialKey): unknown {
    let text: string;
    try {
      text = readFileSync(this.partialPath(key), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const entry = decodeAnalysisJson(text) as { key: PartialKey; partial: unknown };
      // Another recording's (a copied directory) or a damaged file is not an answer: analyse again.
      return entry && sameKey(entry.key, key) ? entry.partial : undefined;
    } catch {
      return undefined;
    }
  }

  put(key: PartialKey, partial: unknown): void {
    writeAtomic(this.partialPath(key), encodeAnalysisJson({ key, partial }));
  }

  /** Where the result labelled `label` (DimensionDescription.label) is written. */
  resultPath(label: string): string {
    return join(this.dir, `${label}.json`);
  }

  /** Writes a dimension's merged result with where it comes from, as `label`.json; returns the file's path. */
  writeResult(label: string, provenance: Provenance, result: unknown): string {
    const path = this.resultPath(label);
    writeAtomic(path, `${encodeAnalysisJson({ provenance, result })}\n`);
    return path;
  }
}
