// The one clock runtime-neutral code may read: for measuring how long engine
// work took (snapshot pauses, slice replays), never for anything the machine
// sees (docs/design.md 2: no wall clock inside the machine).

/** Milliseconds from a monotonic clock (performance.now in every runtime the engine runs in). */
export function nowMs(): number {
  return (globalThis as unknown as { performance: { now(): number } }).performance.now();
}
