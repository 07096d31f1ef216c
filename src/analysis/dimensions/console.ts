// The console dimension (docs/design.md 5): every byte the guest wrote to its
// serial console, with the tick of the run that wrote it, as the replay
// produced it (the replay is verified, so it is the recording's own output).
import { integerParams, type Dimension } from '../dimension.ts';

export interface ConsoleChunk {
  /** Where the run that drained these bytes stopped: the bytes were written at or before it, after the chunk before. */
  tick: bigint;
  data: Uint8Array;
}

export interface ConsolePartial {
  chunks: ConsoleChunk[];
}

export interface ConsoleResult {
  chunks: ConsoleChunk[];
  bytes: number;
}

export const consoleDimension: Dimension<Record<string, never>, ConsolePartial, ConsoleResult> = {
  name: 'console',
  version: 2,
  summary: 'console output by tick',
  params: (given) => integerParams('console', given, {}) as Record<string, never>,
  needs: () => ({}),
  start() {
    const chunks: ConsoleChunk[] = [];
    return {
      event() {},
      output(tick, data) {
        chunks.push({ tick, data: data.slice() });
      },
      finish: () => ({ chunks }),
    };
  },
  merge(_params, partials) {
    const chunks = partials.flatMap((p) => p.chunks);
    return { chunks, bytes: chunks.reduce((n, c) => n + c.data.length, 0) };
  },
};
