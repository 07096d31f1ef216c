#!/usr/bin/env node
// The `prnr` command. The CLI is TypeScript (src/cli); tsx compiles it on load.
// Errors are printed plainly once, in src/cli/main.ts; this catches only a
// failure to load the CLI itself.
import { register } from 'tsx/esm/api';

register();
try {
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  console.error(`prnr: ${process.env.PRNR_DEBUG === '1' && err instanceof Error ? err.stack : err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
