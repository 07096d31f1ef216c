// The engine's API, served by a worker in both runtimes: a Web Worker in the
// browser (src/engine/web) and a worker_thread in Node (src/engine/node). Both
// hosts expose the same `Engine` object (./engine.ts) through Comlink, so a
// method added here and implemented there is available everywhere.
//
// Rules for methods: every one is async; arguments and results are
// structured-cloneable (ticks are bigint, bytes are Uint8Array; transfer large
// buffers with Comlink.transfer); failures throw PrnrError, whose `code`
// survives the worker hop (./rpc.ts).

export interface EnginePing {
  /** The machine's API version (wasm export `apiVersion`). */
  apiVersion: number;
}

export interface EngineApi {
  /** Compiles and instantiates the machine once; proves the wasm loads in this host. */
  ping(): Promise<EnginePing>;
}
