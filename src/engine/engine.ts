// The one implementation of EngineApi, shared by every host. A host only says
// how to get the compiled machine module (fetch in the browser, the file
// system in Node) and exposes an Engine over its message port.
import type { EngineApi, EnginePing } from './engine-api';
import { Machine } from './machine';

/** Compiles machine.wasm in the host's own way; called at most once per Engine. */
export type MachineModuleLoader = () => Promise<WebAssembly.Module>;

export class Engine implements EngineApi {
  private modulePromise: Promise<WebAssembly.Module> | undefined;

  constructor(private readonly loadModule: MachineModuleLoader) {}

  async ping(): Promise<EnginePing> {
    const machine = await this.createMachine();
    return { apiVersion: machine.apiVersion };
  }

  /** A fresh machine instance from the (compiled once) module. */
  protected async createMachine(): Promise<Machine> {
    this.modulePromise ??= this.loadModule();
    return Machine.create(await this.modulePromise);
  }
}
