import { useSyncExternalStore } from 'react';
import { getEngine } from '../engine/engine';
import { LiveMachineStore, type LiveSnapshot } from './live-machine';
import { webRecordingStorage } from './recording-storage';

let store: LiveMachineStore | undefined;

/** The page's one live machine (it keeps running while you look at other pages). */
export function getLiveMachine(): LiveMachineStore {
  store ??= new LiveMachineStore(getEngine().api, webRecordingStorage);
  return store;
}

export function useLiveMachine(): { machine: LiveMachineStore; snapshot: LiveSnapshot } {
  const machine = getLiveMachine();
  const snapshot = useSyncExternalStore(machine.subscribe, machine.getSnapshot);
  return { machine, snapshot };
}
