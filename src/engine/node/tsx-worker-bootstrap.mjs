// Entry of a worker_thread whose real entry is TypeScript (see ts-worker.ts).
// Node 20 does not apply `--import tsx` from a Worker's execArgv, so the worker
// registers tsx itself, then imports the entry named by its first argv.
import { register } from 'tsx/esm/api';

register();
const entry = process.argv[2];
if (!entry) throw new Error('tsx-worker-bootstrap: missing entry URL (argv[2])');
await import(entry);
