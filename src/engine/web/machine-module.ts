// Compiles machine.wasm in the browser (the engine's and the replay pool's
// module: compiled once per engine worker, handed to its replay workers).
// compileStreaming compiles while the bytes arrive and lets Chrome cache the
// compiled code with the HTTP response; tiering is measured in
// `npm run bench -- --only browser-machine` (docs/design.md 7).
export function compileWebMachineModule(url: string): Promise<WebAssembly.Module> {
  return WebAssembly.compileStreaming(fetch(url));
}
