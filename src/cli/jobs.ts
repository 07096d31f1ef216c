// --jobs for the commands that replay on a pool of workers (replay, trace,
// analyze, diff): a whole number from 1 to 64, capped at the host's cores
// with a one-line note (more would only compete for them, each worker
// holding a machine's memory).
import { availableParallelism } from 'node:os';
import { defaultJobs } from '../engine/node/replay-pool';
import { UsageError } from './errors';

export const MAX_JOBS = 64;

/** The --jobs value given (default: the pool's default), as a count of workers this host can run; `flag` names the option in messages. */
export function jobsOption(text: string | undefined, flag = 'jobs'): number {
  const jobs = text === undefined ? defaultJobs() : Number(text);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > MAX_JOBS) throw new UsageError(`--${flag} must be a whole number from 1 to ${MAX_JOBS}, got ${text}`);
  const cores = availableParallelism();
  if (jobs <= cores) return jobs;
  process.stderr.write(`prnr: --${flag} ${jobs}: this machine has ${cores} core${cores === 1 ? '' : 's'}; using ${cores} workers (more would only compete for them, each with a machine's memory)\n`);
  return cores;
}

export const JOBS_HELP = `worker threads (default ${defaultJobs()}, at most the host's cores)`;
