// --no-jit (args.ts JIT_OPTIONS): every machine this process and the worker
// threads it starts afterwards create runs the interpreter only.
import { setJitDefault } from '../engine/machine';

export function useInterpreterOnly(): void {
  setJitDefault(false);
  process.env.PRNR_JIT = '0'; // worker_threads copy the environment when they start
}
