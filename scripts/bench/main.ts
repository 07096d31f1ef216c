// `npm run bench`: every benchmark, side by side in one run, as a table
// (default) or JSON (--json). Options: --runs N (default 3 for machine,
// storage, analysis, queue, browser and browser-machine, 5 for record, 1 for
// ide-analysis), --only
// machine|record|storage|analysis|watch|queue|serve|serve-first-frame|share-analyses|browser|browser-machine|last-write|ide-analysis.
import { existsSync } from 'node:fs';
import { printTable, type BenchRow } from './stats';
import { benchMachine } from './machine';

interface Options {
  json: boolean;
  runs: number | undefined;
  only: string | undefined;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { json: false, runs: undefined, only: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') options.json = true;
    else if (arg === '--runs') options.runs = Number(argv[++i]);
    else if (arg === '--only') options.only = argv[++i];
    else throw new Error(`unknown option ${arg}; usage: npm run bench -- [--json] [--runs N] [--only machine|record|storage|analysis|watch|queue|serve|serve-first-frame|share-analyses|browser|browser-machine|last-write|ide-analysis]`);
  }
  if (options.runs !== undefined && (!Number.isInteger(options.runs) || options.runs < 1)) throw new Error('--runs needs a positive integer');
  return options;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const log = (line: string) => { if (!options.json) console.error(line); };
  const sections: Record<string, BenchRow[]> = {};
  if (!options.only || options.only === 'machine') sections.machine = await benchMachine(options.runs ?? 3, log);
  const recordBench = new URL('./record.ts', import.meta.url);
  if ((!options.only || options.only === 'record') && existsSync(recordBench)) {
    const { benchRecord } = (await import(recordBench.href)) as { benchRecord: (runs: number, log: (line: string) => void) => Promise<BenchRow[]> };
    sections.record = await benchRecord(options.runs ?? 5, log);
  }
  if (!options.only || options.only === 'storage') {
    const { benchStorage } = await import('./storage');
    sections.storage = await benchStorage(options.runs ?? 3, log);
  }
  if (!options.only || options.only === 'analysis') {
    const { benchAnalysis } = await import('./analysis');
    sections.analysis = await benchAnalysis(options.runs ?? 3, log);
  }
  if (!options.only || options.only === 'watch') {
    const { benchWatch } = await import('./watch');
    sections.watch = await benchWatch(options.runs ?? 3, log);
  }
  if (!options.only || options.only === 'queue') {
    const { benchQueue } = await import('./queue');
    sections.queue = await benchQueue(options.runs ?? 3, log);
  }
  if (!options.only || options.only === 'serve') {
    const { benchServe } = await import('./serve');
    sections.serve = await benchServe(options.runs ?? 3, log);
  }
  // The first frame of a shared link alone (the serve section includes it).
  if (options.only === 'serve-first-frame') {
    const { benchFirstFrame } = await import('./serve-first-frame');
    sections['serve-first-frame'] = await benchFirstFrame(options.runs ?? 3, log);
  }
  if (!options.only || options.only === 'share-analyses') {
    const { benchShareAnalyses } = await import('./share-analyses');
    sections['share-analyses'] = await benchShareAnalyses(options.runs ?? 3, log);
  }
  if (!options.only || options.only === 'browser') {
    const { benchBrowser } = await import('./browser');
    sections.browser = await benchBrowser(options.runs ?? 3, log);
  }
  if (!options.only || options.only === 'browser-machine') {
    const { benchBrowserMachine } = await import('./browser-machine');
    sections['browser-machine'] = await benchBrowserMachine(options.runs ?? 3, log);
  }
  if (!options.only || options.only === 'last-write') {
    const { benchLastWrite } = await import('./last-write');
    sections['last-write'] = await benchLastWrite(options.runs ?? 3, log);
  }
  if (!options.only || options.only === 'ide-analysis') {
    const { benchIdeAnalysis } = await import('./ide-analysis');
    sections['ide-analysis'] = await benchIdeAnalysis(options.runs ?? 1, log);
  }
  if (options.json) {
    console.log(JSON.stringify(sections, null, 2));
    return;
  }
  for (const [name, rows] of Object.entries(sections)) {
    console.log(`\n== ${name}`);
    printTable(rows);
  }
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
