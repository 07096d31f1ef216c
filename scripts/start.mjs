// `npm start`: builds the machine and the app, then serves it, in this one
// process (the machine's compiler in a child that ends with it), so that
// stopping `npm start` stops the server: npm forwards SIGINT and SIGTERM to
// this process, which closes the server and exits, and npm exits with it.
// (It used to be `npm run build && node scripts/serve.mjs`: a shell between
// npm and the server, which npm's signal killed, leaving the server running.)
// Should npm itself be killed outright (SIGKILL), this process notices that
// its parent is gone and stops too.
import { spawn } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { serve } from './serve.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Ends this process if the process that started it (npm) goes away without telling it. */
function stopWithParent(onGone) {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) onGone();
  }, 500);
  timer.unref();
}

/** Runs `node script` and resolves when it exits 0; SIGINT/SIGTERM meanwhile stop it and this process. */
function runNode(script) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, script)], { stdio: 'inherit' });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      if (code === 0) resolve();
      else process.exit(signal ? 1 : (code ?? 1));
    });
  });
}

stopWithParent(() => process.kill(process.pid, 'SIGTERM'));
await runNode('scripts/build-wasm.mjs');
// The app build runs in this process; stopping during it stops the process.
const quit = () => process.exit(1);
process.once('SIGINT', quit);
process.once('SIGTERM', quit);
await build({ root, logLevel: 'warn' });
process.off('SIGINT', quit);
process.off('SIGTERM', quit);
await serve();
