// Compiles the machine (wasm/assembly, AssemblyScript) to wasm/build/machine.wasm
// (with machine.d.ts, the declaration of its exports), and writes the facts the
// host shares with it (scripts/machine-constants.mjs), each to src/shared/ and
// to wasm/build/ (wasm/test imports nothing from src/):
//   machine-constants.ts / constants.ts  from wasm/assembly/constants.ts
//   machine-layout.ts / layout.ts        from the built machine's describeMachine()
// Skips the compile when every output is newer than every source file.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateConstantsModule, generateLayoutModule } from './machine-constants.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wasmDir = join(root, 'wasm');
const outputs = ['machine.wasm', 'machine.d.ts'].map((name) => join(wasmDir, 'build', name));
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

/** Writes `text` to `path` unless it already holds exactly that (watchers see no change). */
function writeIfChanged(path, text) {
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

function writeConstants() {
  const source = 'wasm/assembly/constants.ts';
  let module;
  try {
    module = generateConstantsModule(readFileSync(join(root, source), 'utf8'), source);
  } catch (err) {
    console.error(`wasm: ${err.message}`);
    process.exit(1);
  }
  writeIfChanged(join(root, 'src', 'shared', 'machine-constants.ts'), module);
  writeIfChanged(join(wasmDir, 'build', 'constants.ts'), module);
}

writeConstants();
/** Asks the built machine to describe its state layout and board. */
function writeLayout() {
  const module = new WebAssembly.Module(readFileSync(outputs[0]));
  const env = { abort() { throw new Error('machine aborted'); }, jitCompile: () => 0 };
  const exports = new WebAssembly.Instance(module, { env }).exports;
  const length = exports.describeMachine();
  if (length === 0) {
    console.error('wasm: describeMachine did not fit its buffer');
    process.exit(1);
  }
  const text = new TextDecoder().decode(new Uint8Array(exports.memory.buffer, exports.describeMachinePtr(), length));
  const module_ = generateLayoutModule(JSON.parse(text));
  writeIfChanged(join(root, 'src', 'shared', 'machine-layout.ts'), module_);
  writeIfChanged(join(wasmDir, 'build', 'layout.ts'), module_);
}

const sourceTime = Math.max(newestSource(join(wasmDir, 'assembly')), statSync(join(wasmDir, 'asconfig.json')).mtimeMs);
const upToDate = outputs.every((out) => existsSync(out) && statSync(out).mtimeMs > sourceTime);
if (target === 'release' && upToDate && !process.argv.includes('--force')) {
  writeLayout();
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
if (target === 'release') writeLayout();
