// Proves the ESLint import-direction rules of docs/design.md 1 fire (eslint.config.js):
// each case lints a one-line fixture as if it lived in that folder.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('import boundaries (docs/design.md 1)', () => {
  it.each([
    ['src/engine/replay.ts', "import { x } from '../ui/features/live/LivePage';", /Nothing imports src\/ui/],
    ['src/engine/replay.ts', "import { x } from '../analysis/syscalls';", /engine imports only src\/shared and wasm/],
    ['src/engine/replay.ts', "import { readFile } from 'node:fs';", /Node built-ins belong in src\/engine\/node/],
    ['src/engine/replay.ts', "import { readFile } from 'fs/promises';", /Node built-ins belong in src\/engine\/node/],
    ['src/engine/web/pool.ts', "import { x } from '../../cli/main';", /never src\/cli/],
    ['src/shared/bundle.ts', "import { Machine } from '../engine/machine';", /src\/shared is runtime-neutral/],
    ['src/shared/bundle.ts', "import { createHash } from 'node:crypto';", /no Node built-ins/],
    ['src/analysis/syscalls.ts', "import { Machine } from '../engine/machine';", /src\/analysis imports only src\/shared/],
    ['src/ui/features/live/Live.tsx', "import { x } from '../../../server/api';", /Nothing imports src\/server/],
    ['src/ui/features/live/Live.tsx', "import url from '../../../../wasm/build/machine.wasm?url';", /Only the engine loads the machine/],
    ['src/cli/commands/serve.ts', "import { x } from '../../ui/app/router';", /Nothing imports src\/ui/],
    ['src/server/app.ts', "import { x } from '../cli/main';", /Nothing imports src\/cli/],
    ['wasm/test/cpu.test.ts', "import { Machine } from '../../src/engine/machine';", /wasm\/ \(the machine\) imports nothing from src/],
  ])('%s: %s is refused', async (filePath, code, message) => {
    const errors = await importErrors(filePath, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  it.each([
    ['src/ui/features/live/Live.tsx', "import { startWebEngine } from '../../../engine/web/engine-client';"],
    ['src/ui/features/live/Live.tsx', "import { parseTick } from '../../../shared/tick';"],
    ['src/engine/web/machine.worker.ts', "import url from '../../../wasm/build/machine.wasm?url';"],
    ['src/engine/node/host.ts', "import { readFile } from 'node:fs/promises';"],
    ['src/analysis/syscalls.ts', "import { parseTick } from '../shared/tick';"],
    ['src/cli/commands/seek.ts', "import { Engine } from '../../engine/engine';"],
    ['src/server/app.ts', "import { createServer } from 'node:http';"],
  ])('%s: %s is allowed', async (filePath, code) => {
    expect(await importErrors(filePath, code)).toEqual([]);
  });
});
