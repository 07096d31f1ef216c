// Boots the default image in a fresh machine for whole-system tests.
import { compileMachineModule } from '../../src/engine/node/machine-module';
import { loadNodeBootConfig } from '../../src/engine/node/images';
import { Machine, type BootConfig, type MachineOptions } from '../../src/engine/machine';
import { GuestConsole } from '../../src/engine/guest-console';
import type { ImageManifest } from '../../src/shared/image-manifest';

let modulePromise: Promise<WebAssembly.Module> | undefined;
let imagePromise: Promise<{ config: BootConfig; manifest: ImageManifest }> | undefined;

export function defaultImage(): Promise<{ config: BootConfig; manifest: ImageManifest }> {
  imagePromise ??= loadNodeBootConfig('default').then(({ image, config }) => ({ config, manifest: image.manifest }));
  return imagePromise;
}

export async function freshMachine(options: MachineOptions = {}): Promise<Machine> {
  modulePromise ??= compileMachineModule();
  return Machine.create(await modulePromise, options);
}

export async function bootedMachine(options: MachineOptions = {}): Promise<{ machine: Machine; console: GuestConsole; prompt: string }> {
  const { config, manifest } = await defaultImage();
  const machine = await freshMachine(options);
  machine.boot(config);
  return { machine, console: new GuestConsole(machine), prompt: manifest.prompt };
}

export const BOOT_BUDGET = 2_000_000_000n;
export const COMMAND_BUDGET = 5_000_000_000n;

/** Types `command` at the prompt and returns what it printed. */
export function runAtPrompt(guest: GuestConsole, prompt: string, command: string): string {
  return guest.runCommand(command, prompt, COMMAND_BUDGET).output;
}
