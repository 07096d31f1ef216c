// Whether a browser engine's machines translate hot guest code (the JIT,
// docs/design.md 2), chosen by the page: ?jit=1 or ?jit=0 in its URL, else
// the build's default (../machine.ts jitDefault()). A module Worker receives
// nothing from the code that starts it but its bundled URL and its name, so
// the choice travels in the names of the engine worker and of every replay
// worker it starts ("prnr-replay-0 jit=1"). Results are the same either way.
// Imports nothing, so the page's bundle stays free of the machine.

const SUFFIX = / jit=([01])$/;

/** A worker name carrying the JIT choice; undefined leaves the name, and the worker the build's default. */
export function workerNameWithJit(name: string, jit: boolean | undefined): string {
  return jit === undefined ? name : `${name} jit=${jit ? 1 : 0}`;
}

/** The choice a worker name carries, if any. */
export function jitInWorkerName(name: string): boolean | undefined {
  const match = SUFFIX.exec(name);
  return match ? match[1] === '1' : undefined;
}

/** The choice a page's query string makes (?jit=1, ?jit=0), if any. */
export function jitInQuery(search: string): boolean | undefined {
  const value = new URLSearchParams(search).get('jit');
  return value === '1' ? true : value === '0' ? false : undefined;
}
