// Slices analysed one after the other on this thread's own replay machine:
// for hosts without replay workers, and the sequential pass the parallel
// ones are checked against.
import type { AnalysisInputs, AnalysisRuntime, DimensionRequest } from '../../shared/analysis';
import type { PoolEvent } from '../replay/pool';
import type { ReplayMachine } from '../replay/replay-machine';
import type { SliceAnalyzer } from './run';
import { analyzeSlice, type SliceAnalysis } from './slice-analysis';

export class LocalAnalyzer implements SliceAnalyzer {
  constructor(
    private readonly machine: ReplayMachine,
    private readonly runtime: AnalysisRuntime,
  ) {}

  async analyze(slices: readonly number[], requests: DimensionRequest[], inputs: AnalysisInputs, onEvent?: (event: PoolEvent, analysis?: SliceAnalysis) => void): Promise<SliceAnalysis[]> {
    const out: SliceAnalysis[] = [];
    for (const slice of [...slices].sort((a, b) => a - b)) {
      onEvent?.({ worker: 0, slice, state: 'running' });
      const analysis = analyzeSlice(this.machine, slice, requests, this.runtime, inputs);
      out.push(analysis);
      onEvent?.({ worker: 0, slice, state: 'done', result: analysis.slice }, analysis);
      // Let the host's event loop breathe between slices (progress messages, a cancel).
      await Promise.resolve();
    }
    return out;
  }
}
