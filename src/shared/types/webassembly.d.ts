// The slice of the WebAssembly JS API that runtime-neutral code (src/shared,
// src/analysis, the engine core) may use. tsconfig.shared.json compiles with
// lib ES2022 only, which has no WebAssembly namespace; the DOM, WebWorker and
// Node typings each declare the full one, and only this config includes this
// file. Add members here when the engine core needs them (spec: WebAssembly JS
// API, https://webassembly.github.io/spec/js-api/).

declare namespace WebAssembly {
  type ImportValue = ((...args: never[]) => unknown) | Global | Memory | Table | number | bigint;
  type ModuleImports = Record<string, ImportValue>;
  type Imports = Record<string, ModuleImports>;
  type ExportValue = ((...args: never[]) => unknown) | Global | Memory | Table;
  type Exports = Record<string, ExportValue>;

  interface ModuleExportDescriptor {
    kind: 'function' | 'global' | 'memory' | 'table';
    name: string;
  }

  class Module {
    constructor(bytes: ArrayBuffer | ArrayBufferView);
    static exports(module: Module): ModuleExportDescriptor[];
  }

  /** Compiles while the response streams in (Node and browsers; the browser's machine, src/engine/web/machine-module.ts). */
  function compileStreaming(source: PromiseLike<unknown>): Promise<Module>;

  class Instance {
    constructor(module: Module, imports?: Imports);
    readonly exports: Exports;
  }

  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
    shared?: boolean;
  }

  class Memory {
    constructor(descriptor: MemoryDescriptor);
    readonly buffer: ArrayBuffer;
    grow(deltaPages: number): number;
  }

  class Table {
    private constructor();
    readonly length: number;
  }

  class Global {
    private constructor();
    value: unknown;
  }

  interface WebAssemblyInstantiatedSource {
    module: Module;
    instance: Instance;
  }

  function compile(bytes: ArrayBuffer | ArrayBufferView): Promise<Module>;
  function instantiate(bytes: ArrayBuffer | ArrayBufferView, imports?: Imports): Promise<WebAssemblyInstantiatedSource>;
  function instantiate(module: Module, imports?: Imports): Promise<Instance>;
  function validate(bytes: ArrayBuffer | ArrayBufferView): boolean;
}
