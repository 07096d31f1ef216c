// What the timeline paints on a slice: its verification state.
export type SliceState = 'pending' | 'running' | 'verified' | 'diverged';

export interface SliceMark {
  state: SliceState;
  /** Why it diverged (the first differing component), or which worker replays it. */
  detail?: string;
}
