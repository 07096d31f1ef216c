// The table of dimensions (docs/design.md 5): one entry each; the runtime,
// the CLI's options and the app's list all come from here.
import type { AnyDimension } from '../dimension.ts';
import { consoleDimension } from './console.ts';
import { hotspotsDimension } from './hotspots.ts';
import { processesDimension } from './processes.ts';
import { syscallsDimension } from './syscalls.ts';
import { watchDimension } from './watch.ts';

export const DIMENSIONS: readonly AnyDimension[] = [syscallsDimension, processesDimension, consoleDimension, hotspotsDimension, watchDimension];

export type { SyscallsParams, SyscallsPartial, SyscallsResult, TracedCall } from './syscalls.ts';
export type { ExecEvent, ExitEvent, ForkEvent, ProcessInfo, ProcessesResult, ReapEvent, StartEvent, TaskRun } from './processes.ts';
export type { ConsoleChunk, ConsoleResult } from './console.ts';
export type { Hotspot, HotspotsParams, HotspotsResult } from './hotspots.ts';
export type { WatchedWrite, WatchParams, WatchResult } from './watch.ts';
