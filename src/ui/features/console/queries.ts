// The console output up to a tick: what the terminal is fed to draw the screen there.
import { getEngine } from '../engine/engine';
import { consoleKey, recordingKey, useAtTick, useLatestTick } from '../recording/queries';

export const SCREEN_ROWS = 24;
export const SCREEN_COLS = 80;

export function useConsoleAt(id: string, tick: bigint) {
  const target = useLatestTick([...recordingKey(id), 'console'], tick);
  return useAtTick(consoleKey(id, target), () => getEngine().api.consoleAt(id, target));
}
