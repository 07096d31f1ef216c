// The console output a terminal needs to show a tick: all of it up to the
// tick, or, when the terminal already shows an earlier tick, only the bytes
// written since (a console flood is megabytes; a step forward writes a few).
import { useRef } from 'react';
import { getEngine } from '../engine/engine';
import { consoleKey, recordingKey, useAtTick, useLatestTick } from '../recording/queries';

export const SCREEN_ROWS = 24;
export const SCREEN_COLS = 80;

/**
 * `shown`: the tick the terminal shows now (null: nothing yet, or it must be
 * redrawn from the start); `generation` changes to ask again for the same tick.
 */
export function useConsoleAt(id: string, tick: bigint, shown: bigint | null, generation = 0) {
  const target = useLatestTick([...recordingKey(id), 'console'], tick);
  // Decided once per target: the terminal's tick changes when the answer is drawn, which must not ask again.
  const plan = useRef<{ target: bigint; generation: number; after: bigint | undefined } | null>(null);
  if (plan.current?.target !== target || plan.current.generation !== generation) plan.current = { target, generation, after: shown !== null && shown < target ? shown : undefined };
  const { after } = plan.current;
  return useAtTick([...consoleKey(id, target), after?.toString() ?? 'start'], () => getEngine().api.consoleAt(id, target, after));
}
