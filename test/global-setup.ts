// Vitest global setup: builds wasm/build/machine.wasm (a no-op when up to date),
// so `npx vitest run <path>` always tests the current machine.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const script = fileURLToPath(new URL('../scripts/build-wasm.mjs', import.meta.url));
  execFileSync(process.execPath, [script], { stdio: 'inherit' });
}
