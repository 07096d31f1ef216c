// The one implementation of EngineApi, shared by every host. A host only says
// how to get the compiled machine module and the guest images (fetch in the
// browser, the file system in Node) and how its event loop waits, then
// exposes an Engine over its message port.
import { PrnrError, errorCode, errorMessage } from '../shared/errors';
import { parseTick } from '../shared/tick';
import type { EngineApi, EnginePing, LiveBootInfo, LiveListeners } from './engine-api';
import { bootConfigFromImage, type BootImage, type ImageLoadProgress } from './images';
import { LiveSession, type LiveHost, type LiveStats } from './live-session';
import { Machine, runToTick } from './machine';

/** Compiles machine.wasm in the host's own way; called at most once per Engine. */
export type MachineModuleLoader = () => Promise<WebAssembly.Module>;

/** What an engine needs from its host. */
export interface EngineHost {
  loadModule: MachineModuleLoader;
  /** Reads and verifies a guest image's boot files (../images.ts). */
  loadImage(name: string, onProgress?: (progress: ImageLoadProgress) => void): Promise<BootImage>;
  /** Clock and waits for live sessions. */
  live: LiveHost;
}

export class Engine implements EngineApi {
  private modulePromise: Promise<WebAssembly.Module> | undefined;
  private live: LiveSession | undefined;

  constructor(private readonly host: EngineHost) {}

  async ping(): Promise<EnginePing> {
    const machine = await this.createMachine();
    return { apiVersion: machine.apiVersion };
  }

  async startLive(image: string, listeners: LiveListeners): Promise<LiveBootInfo> {
    this.live?.stop();
    this.live = undefined;
    const [loaded, machine] = await Promise.all([this.host.loadImage(image, (p) => void listeners.onProgress(p)), this.createMachine()]);
    machine.boot(bootConfigFromImage(loaded));
    const session = new LiveSession(machine, this.host.live);
    this.live = session;
    session.onConsole((bytes) => void listeners.onConsole(bytes));
    session.start().then(
      (exit) => void listeners.onEnd(exit),
      (err: unknown) => void listeners.onEnd({ state: 'failed', tick: machine.tick, code: errorCode(err), message: errorMessage(err) }),
    );
    const { manifest } = loaded;
    return { image: loaded.name, description: manifest.description, prompt: manifest.prompt, ramMiB: manifest.ramMiB };
  }

  async sendLiveInput(bytes: Uint8Array): Promise<void> {
    this.live?.sendInput(bytes);
  }

  async liveStats(): Promise<LiveStats | undefined> {
    return this.live?.stats();
  }

  async stopLive(): Promise<void> {
    this.live?.stop();
  }

  async bootHashes(image: string, ticks: string[]): Promise<string[]> {
    const [loaded, machine] = await Promise.all([this.host.loadImage(image), this.createMachine()]);
    machine.boot(bootConfigFromImage(loaded));
    return ticks.map((text) => {
      const tick = parseTick(text);
      if (tick < machine.tick) throw new PrnrError('BAD_TICK', `ticks must ascend: ${text} comes after ${machine.tick}`);
      runToTick(machine, tick);
      return machine.stateHash().toString(16).padStart(16, '0');
    });
  }

  /** A fresh machine instance from the (compiled once) module. */
  protected async createMachine(): Promise<Machine> {
    this.modulePromise ??= this.host.loadModule();
    return Machine.create(await this.modulePromise);
  }
}
