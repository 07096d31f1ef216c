import { readFile } from 'node:fs/promises';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';

export const command: Command = {
  name: 'version',
  summary: 'print the prnr version and the machine API version',
  usage: 'prnr version\n\nPrints the package version, then loads wasm/build/machine.wasm in a worker_thread and prints its API version.',
  async run(argv) {
    parseCommandArgs('version', argv, {});
    const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    console.log(`prnr ${pkg.version}`);
    const { startNodeEngine } = await import('../../engine/node/engine-host');
    const engine = startNodeEngine();
    try {
      const { apiVersion } = await engine.api.ping();
      console.log(`machine API ${apiVersion}`);
    } finally {
      await engine.close();
    }
    return 0;
  },
};
