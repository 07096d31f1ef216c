// Type-checks the machine (wasm/assembly, AssemblyScript) with TypeScript, per
// wasm/assembly/tsconfig.json (AssemblyScript's declarations of its types and
// builtins). TypeScript refuses decorators on functions and globals (TS1206),
// which AssemblyScript defines (@inline, @lazy, ...); those, and only those,
// are not reported. Part of `npm run typecheck`; exits 1 on any other error.
//   node scripts/typecheck-assembly.mjs [tsconfig.json]   (default: wasm/assembly's)
import ts from 'typescript';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const configPath = process.argv[2] ?? join(root, 'wasm', 'assembly', 'tsconfig.json');
const DECORATORS = /^@(inline|lazy|global|unmanaged|final|external|operator(\.\w+)?)\b/;

const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => report([d]) };
const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, host);
const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => {
  if (d.code !== 1206 || !d.file || d.start === undefined) return true;
  return !DECORATORS.test(d.file.text.slice(d.start, d.start + 40));
});
report([...config.errors, ...diagnostics]);

function report(list) {
  if (list.length === 0) return;
  const formatHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
  console.error(ts.formatDiagnosticsWithColorAndContext(list, formatHost));
  process.exit(1);
}
