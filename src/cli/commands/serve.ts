// `prnr serve [--port 4173] [--data DIR]`: the app and its API in one
// process (src/server, docs/design.md 6), until SIGINT or SIGTERM.
import { startServer, DEFAULT_DATA_DIR } from '../../server/server';
import { commandUsage, parseCommandArgs, type OptionTable } from '../args';
import type { Command } from '../command';
import { UsageError } from '../errors';

const options = {
  port: { type: 'string', short: 'p', arg: 'N', help: 'port to listen on (default 4173; 0 picks a free one)' },
  host: { type: 'string', arg: 'HOST', help: 'interface to listen on (default localhost; 0.0.0.0 for every one)' },
  data: { type: 'string', short: 'd', arg: 'DIR', help: 'where recordings, notes and analyses are kept (default ./prnr-data)' },
  app: { type: 'string', arg: 'DIR', help: 'the built app to serve (default dist/ of this checkout)' },
  'max-upload': { type: 'string', arg: 'MIB', help: 'largest recording accepted, in MiB (default 1024)' },
  log: { type: 'boolean', help: 'log every request' },
} as const satisfies OptionTable;

function integerOption(flag: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) throw new UsageError(`--${flag} takes a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return Number(text);
}

export const command: Command = {
  name: 'serve',
  summary: 'serve the app and its API: share links, uploads, notes, analyses',
  usage: commandUsage('prnr serve [--port 4173] [--data DIR]', [
    'Serves the built app (dist/, npm run build) and the API under /api/recordings: recordings are',
    'uploaded (the Share button, prnr push), checked by the same reader replay uses, stored with their',
    'pages shared across recordings, and opened by link (/r/<id>?t=<tick>&view=...) by anyone who can',
    'reach the server; notes pinned to ticks and analysis results are kept beside them. Prints its URL;',
    'Ctrl+C stops it.',
  ], options),
  async run(argv) {
    const { values } = parseCommandArgs('serve', argv, options);
    const port = values.port === undefined ? undefined : integerOption('port', values.port, 0, 65535);
    const maxUpload = values['max-upload'] === undefined ? undefined : integerOption('max-upload', values['max-upload'], 1, 1 << 20) * (1 << 20);
    const server = await startServer({ dataDir: values.data ?? DEFAULT_DATA_DIR, appDir: values.app, port, host: values.host, maxUploadBytes: maxUpload, log: values.log });
    if (server.recovered.length > 0) console.log(`recovered from an interrupted run: removed ${server.recovered.length} unfinished file${server.recovered.length === 1 ? '' : 's'}`);
    console.log(`prnr is running at ${server.url}`);
    console.log(`data in ${values.data ?? DEFAULT_DATA_DIR}; press Ctrl+C to stop.`);
    await new Promise<void>((done) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void server.close().then(done);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return 0;
  },
};
