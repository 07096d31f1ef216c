// ESLint flat config. Besides the recommended rules, it enforces the import
// direction of docs/design.md section 1 with one `no-restricted-imports` block per
// folder (ESLint replaces, not merges, a rule's options, so the file sets are
// disjoint and each block lists everything its folder may not import).
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** A relative import that climbs out of the current folder into top-level folder `name` (src/<name> or wasm). */
const into = (name) => `^(\\.\\./)+(src/)?${name}(/|$)`;

const why = {
  ui: 'Nothing imports src/ui: the UI is a leaf that sits on top of engine, analysis and shared (docs/design.md 1).',
  engine: 'Only ui, server and cli use the engine (docs/design.md 1).',
  analysis: 'Analyses are pure functions over traces: only ui, server and cli use them; the engine does not (docs/design.md 1).',
  server: 'Nothing imports src/server; share code through src/shared (docs/design.md 1).',
  cli: 'Nothing imports src/cli; share code through src/shared (docs/design.md 1).',
  wasm: 'Only the engine loads the machine (wasm/); others go through src/engine (docs/design.md 1).',
  shared: 'src/shared is runtime-neutral and imports no other folder (docs/design.md 1).',
};

function forbidFolders(folders, reasonFor = (name) => why[name]) {
  return folders.map((name) => ({ regex: into(name), message: reasonFor(name) }));
}

function forbidNode(message) {
  const names = builtinModules.filter((name) => !name.startsWith('_')).map((name) => name.replace(/\//g, '\\/'));
  return [
    { regex: '^node:', message },
    { regex: `^(${names.join('|')})(/.*)?$`, message },
  ];
}

function boundary(files, patterns, ignores = []) {
  return { files, ignores, rules: { 'no-restricted-imports': ['error', { patterns }] } };
}

const ts = ['**/*.ts', '**/*.tsx', '**/*.mts'];

/**
 * wasm/assembly is AssemblyScript: TypeScript syntax plus decorators on functions and
 * globals (@inline, @lazy, ...), which the TypeScript parser refuses. They are blanked
 * (same length, so positions hold) before the file is linted as TypeScript.
 */
const assemblyScriptDecorators = {
  meta: { name: 'assemblyscript-decorators' },
  preprocess: (text) => [text.replace(/@(inline|lazy|global|unmanaged|final|external|operator(\.\w+)?)\b(\([^)]*\))?/g, (d) => ' '.repeat(d.length))],
  postprocess: (messages) => messages.flat(),
  supportsAutofix: true,
};

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', 'wasm/build/**', '.tmp/**', 'test-results/**', 'public/**', 'build/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended.map((config) => ({ ...config, files: ts })),
  {
    files: ts,
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  // The machine (AssemblyScript): the Device and StateIO contracts have implementations
  // that ignore some parameters.
  {
    files: ['wasm/assembly/**/*.ts'],
    processor: assemblyScriptDecorators,
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { args: 'none', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off', // AssemblyScript has no `import type`
      'no-loss-of-precision': 'off', // u64 literals are exact in AssemblyScript
    },
  },
  // Globals per runtime.
  { files: ['src/ui/**'], languageOptions: { globals: globals.browser } },
  { files: ['src/engine/web/**'], languageOptions: { globals: { ...globals.browser, ...globals.worker } } },
  { files: ['src/shared/**', 'src/analysis/**', 'src/engine/**'], ignores: ['src/engine/web/**', 'src/engine/node/**'], languageOptions: { globals: globals['shared-node-browser'] } },
  {
    files: ['src/cli/**', 'src/server/**', 'src/engine/node/**', 'scripts/**', 'e2e/**', 'test/**', 'wasm/test/**', 'bin/**', '*.config.*', '**/*.test.ts', '**/*.test.tsx', '.ci/**'],
    languageOptions: { globals: globals.node },
  },

  // Import direction (docs/design.md 1): ui -> engine, analysis, shared; engine -> shared, wasm;
  // analysis -> shared; server, cli -> engine, analysis, shared; nothing imports ui.
  boundary(['src/ui/**'], [...forbidFolders(['server', 'cli', 'wasm'], (name) => (name === 'wasm' ? why.wasm : why[name])), ...forbidNode('src/ui runs in the browser: no Node built-ins.')]),
  boundary(['src/shared/**'], [...forbidFolders(['ui', 'engine', 'analysis', 'server', 'cli', 'wasm'], () => why.shared), ...forbidNode('src/shared is runtime-neutral: no Node built-ins (it runs in browsers and workers too).')]),
  boundary(['src/analysis/**'], [
    ...forbidFolders(['ui', 'engine', 'server', 'cli', 'wasm'], (name) => (name === 'ui' ? why.ui : 'src/analysis imports only src/shared: analyses are pure functions over traces (docs/design.md 1).')),
    ...forbidNode('src/analysis runs in browsers and workers: no Node built-ins.'),
  ]),
  boundary(
    ['src/engine/**'],
    [...forbidFolders(['ui', 'server', 'cli', 'analysis'], (name) => (name === 'ui' ? why.ui : `The engine imports only src/shared and wasm/, never src/${name} (docs/design.md 1).`)), ...forbidNode('The engine core runs unchanged in a Web Worker and a worker_thread: Node built-ins belong in src/engine/node only.')],
    ['src/engine/node/**'],
  ),
  boundary(['src/engine/node/**'], forbidFolders(['ui', 'server', 'cli', 'analysis'], (name) => (name === 'ui' ? why.ui : `The engine imports only src/shared and wasm/, never src/${name} (docs/design.md 1).`))),
  boundary(['src/server/**'], forbidFolders(['ui', 'cli', 'wasm'])),
  boundary(['src/cli/**'], forbidFolders(['ui', 'server', 'wasm']), ['src/cli/commands/serve.ts']),
  // `prnr serve` is the one command that runs the server: it starts it, and nothing else in the CLI may import it.
  boundary(['src/cli/commands/serve.ts'], forbidFolders(['ui', 'wasm'])),
  boundary(['wasm/**'], [{ regex: into('src'), message: 'wasm/ (the machine) imports nothing from src/ (docs/design.md 1).' }]),
);
