// Compiles machine.wasm from disk for Node hosts (worker_threads, CLI).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PrnrError } from '../../shared/errors';

/** wasm/build/machine.wasm, built by `npm run build:wasm`. */
export const defaultMachineWasmPath = fileURLToPath(new URL('../../../wasm/build/machine.wasm', import.meta.url));

export async function compileMachineModule(path: string = defaultMachineWasmPath): Promise<WebAssembly.Module> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new PrnrError('WASM_MISSING', `${path} not found; run npm run build:wasm`);
    }
    throw err;
  }
  return WebAssembly.compile(bytes);
}
