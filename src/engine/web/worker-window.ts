// Imported first by the engine worker (machine.worker.ts): @xterm/headless,
// which draws the console screen at a tick (src/shared/terminal-screen.ts),
// reads `window` as it loads (`'requestIdleCallback' in window`), and a
// worker has no `window`: without this, the engine worker fails to start
// ("window is not defined"). Here `window` is the worker's global scope,
// which has what xterm's headless core looks for (or says it does not).
(globalThis as { window?: unknown }).window ??= globalThis;

export {};
