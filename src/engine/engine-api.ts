// The engine's API, served by a worker in both runtimes: a Web Worker in the
// browser (src/engine/web) and a worker_thread in Node (src/engine/node). Both
// hosts expose the same `Engine` object (./engine.ts) through Comlink, so a
// method added here and implemented there is available everywhere.
//
// Rules for methods: every one is async; arguments and results are
// structured-cloneable (ticks are bigint, bytes are Uint8Array; transfer large
// buffers with Comlink.transfer); failures throw PrnrError, whose `code`
// survives the worker hop (./rpc.ts). Callbacks (listeners) are passed
// wrapped in Comlink.proxy and are called from the worker.
import type { ImageLoadProgress } from './images';
import type { LiveExit, LiveStats } from './live-session';

export interface EnginePing {
  /** The machine's API version (wasm export `apiVersion`). */
  apiVersion: number;
}

/** How a live session ended: powered off, stopped, or the machine failed. */
export type LiveEnd = LiveExit | { state: 'failed'; tick: bigint; code: string | undefined; message: string };

/** What the page hears from a live session. All three are required: through a Comlink proxy, the worker cannot tell a missing method from a present one. */
export interface LiveListeners {
  /** While the image downloads and verifies. */
  onProgress(progress: ImageLoadProgress): void;
  /** Every byte the guest writes to its serial console, in order. */
  onConsole(bytes: Uint8Array): void;
  /** Once, when the session ends. */
  onEnd(end: LiveEnd): void;
}

export interface LiveBootInfo {
  image: string;
  description: string;
  /** The shell prompt the image prints when it is ready. */
  prompt: string;
  ramMiB: number;
}

export interface EngineApi {
  /** Compiles and instantiates the machine once; proves the wasm loads in this host. */
  ping(): Promise<EnginePing>;
  /**
   * Loads and verifies guest image `image`, boots it and runs it live, paced
   * to the wall clock; resolves once it runs. One live session per engine: a
   * running one is stopped first. Throws IMAGE_NOT_FOUND / IMAGE_CORRUPT.
   */
  startLive(image: string, listeners: LiveListeners): Promise<LiveBootInfo>;
  /** Types bytes at the live guest's console. */
  sendLiveInput(bytes: Uint8Array): Promise<void>;
  /** The live session's tick, speed and state; undefined before startLive. */
  liveStats(): Promise<LiveStats | undefined>;
  /** Stops the live session (the guest is not powered off, just no longer run). */
  stopLive(): Promise<void>;
  /**
   * Boots `image` headless (entropy seed 0) and returns the machine's state
   * hash (16 hex digits) at each of `ticks` (decimal strings, ascending):
   * the same in every host, which is what determinism across runtimes means.
   */
  bootHashes(image: string, ticks: string[]): Promise<string[]>;
}
