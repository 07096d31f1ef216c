// Compiles the machine (wasm/assembly, AssemblyScript) to wasm/build/machine.wasm.
// Skips the compile when the output is newer than every source file.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wasmDir = join(root, 'wasm');
const out = join(wasmDir, 'build', 'machine.wasm');
const target = process.argv.includes('--debug') ? 'debug' : 'release';

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') || entry.name.endsWith('.json')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const sourceTime = Math.max(newestSource(join(wasmDir, 'assembly')), statSync(join(wasmDir, 'asconfig.json')).mtimeMs);
if (target === 'release' && existsSync(out) && statSync(out).mtimeMs > sourceTime && !process.argv.includes('--force')) {
  process.exit(0);
}
const asc = join(root, 'node_modules', '.bin', 'asc');
const started = Date.now();
try {
  execFileSync(asc, ['assembly/index.ts', '--config', 'asconfig.json', '--target', target], { cwd: wasmDir, stdio: 'inherit' });
} catch {
  console.error('wasm build failed');
  process.exit(1);
}
console.log(`wasm: built ${target} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
