// Partials kept in memory for as long as the engine lives: the cache of a
// host with no storage of its own for them (the browser, for now).
import { canonicalParams } from '../../shared/analysis';
import type { AnalysisCache, PartialKey } from './run';

export class MemoryAnalysisCache implements AnalysisCache {
  private readonly partials = new Map<string, unknown>();

  private static id(key: PartialKey): string {
    return `${key.recording} ${key.dimension} ${key.version} ${key.code} ${canonicalParams(key.params)} ${key.slice}`;
  }

  get(key: PartialKey): unknown {
    return this.partials.get(MemoryAnalysisCache.id(key));
  }

  put(key: PartialKey, partial: unknown): void {
    this.partials.set(MemoryAnalysisCache.id(key), partial);
  }
}
