// `prnr worker --queue redis://HOST:PORT [--concurrency N]`: runs the slice
// jobs that `prnr replay --queue` and `prnr analyze --queue` put on BullMQ,
// on N replay threads (docs/design.md 6, scale-out). Ctrl-C (SIGINT) or
// SIGTERM stops taking jobs and lets the running ones finish; a second one
// gives them back to the queue at once.
import { commandUsage, parseCommandArgs, type OptionTable } from '../args';
import type { Command } from '../command';
import { UsageError } from '../errors';
import { jobsOption } from '../jobs';
import { queueOption } from '../queue/connection';
import { LOCK_MS, STALLED_CHECK_MS } from '../queue/jobs';

const options = {
  queue: { type: 'string', arg: 'redis://HOST:PORT', help: 'the BullMQ queue (Redis) to take slice jobs from' },
  concurrency: { type: 'string', short: 'c', arg: 'N', help: 'slice jobs at once, each on its own thread (default: as --jobs of replay,\nat most the host\'s cores)' },
} as const satisfies OptionTable;

export const command: Command = {
  name: 'worker',
  summary: 'run slice jobs from a BullMQ queue (for replay and analyze --queue)',
  usage: commandUsage('prnr worker --queue redis://HOST:PORT [--concurrency N]', [
    'Takes the slice jobs that prnr replay --queue and prnr analyze --queue submit and runs each on a',
    'replay thread, verified against its state root. A job names its recording by digest and path',
    '(same machine or shared disk); a file with another digest is refused. Start as many workers, on',
    `as many machines, as you like. A worker that dies loses nothing: its jobs run again elsewhere within`,
    `${(LOCK_MS + STALLED_CHECK_MS) / 1000} s. Ctrl-C stops after the running jobs; a second Ctrl-C gives them back at once.`,
  ], options),
  async run(argv) {
    const { values } = parseCommandArgs('worker', argv, options);
    if (values.queue === undefined) throw new UsageError('worker needs --queue redis://HOST:PORT');
    const target = queueOption(values.queue);
    const concurrency = jobsOption(values.concurrency, 'concurrency');
    const log = (line: string) => console.log(`prnr worker: ${line}`);
    // Loaded here: BullMQ and the analyses cost nothing to prnr --help.
    const [{ QueueWorker }, { createAnalysisRuntime }] = await Promise.all([import('../queue/worker'), import('../../analysis/runtime')]);
    const worker = await QueueWorker.start({ target, concurrency, runtime: createAnalysisRuntime(), log });
    log(`taking slice jobs from ${target.url} on ${concurrency} thread${concurrency === 1 ? '' : 's'}; Ctrl-C stops after the running jobs`);
    return new Promise<number>((resolve) => {
      let stopping = false;
      const stop = (signal: NodeJS.Signals) => {
        if (!stopping) {
          stopping = true;
          log(`${signal}: finishing ${worker.running} running job${worker.running === 1 ? '' : 's'} (${signal} again gives them back to the queue at once)`);
          void worker.drain().then(() => {
            log('stopped');
            done(0);
          });
          return;
        }
        log(`${signal}: giving ${worker.running} running job${worker.running === 1 ? '' : 's'} back to the queue`);
        void worker.release().then(() => done(1));
      };
      const done = (code: number) => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve(code);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  },
};
