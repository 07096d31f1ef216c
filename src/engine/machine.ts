// The typed wrapper over the machine's wasm exports. Every host (Web Worker,
// worker_thread, CLI) uses this class; it never touches host APIs itself.
import { PrnrError } from '../shared/errors';

/** Raw exports of wasm/build/machine.wasm (AssemblyScript, raw bindings: u64 is bigint). */
export interface MachineExports {
  memory: WebAssembly.Memory;
  apiVersion(): number;
}

export const MACHINE_API_VERSION = 2;

export class Machine {
  private constructor(private readonly exports: MachineExports) {}

  /** Instantiates a compiled machine module (compile once per host, instantiate per machine). */
  static async create(module: WebAssembly.Module): Promise<Machine> {
    const instance = await WebAssembly.instantiate(module, {
      env: {
        abort(_msg: number, _file: number, line: number, column: number): never {
          throw new PrnrError('MACHINE_ABORT', `machine aborted at ${line}:${column}`);
        },
      },
    });
    const exports = instance.exports as unknown as MachineExports;
    const version = exports.apiVersion();
    if (version !== MACHINE_API_VERSION) {
      throw new PrnrError('MACHINE_VERSION', `machine.wasm has API version ${version}, expected ${MACHINE_API_VERSION}; rebuild with npm run build:wasm`);
    }
    return new Machine(exports);
  }

  get apiVersion(): number {
    return this.exports.apiVersion();
  }
}
