// npm run oracle -- [--image default] [--cmd "uname -a"]... [--timeout 120]
//                   [--images-dir DIR] [--boot-log] [--boot-time]
//
// Boots a guest image in qemu-system-riscv64 and prints what each command
// printed.  See scripts/oracle/qemu.ts and docs/images.md.

import { parseArgs } from 'node:util';
import { errorCode, errorMessage } from '../src/shared/errors.ts';
import { DEFAULT_IMAGE, DEFAULT_TIMEOUT_SEC, QemuGuest } from './oracle/qemu.ts';

const USAGE = `usage: npm run oracle -- [options]
  --image NAME        image under the images directory (default "${DEFAULT_IMAGE}")
  --cmd COMMAND       shell command to run in the guest (repeatable; run in order)
  --timeout SECONDS   limit for reaching the prompt and for each command (default ${DEFAULT_TIMEOUT_SEC})
  --images-dir DIR    images directory (default $PRNR_IMAGES_DIR or public/images)
  --boot-log          also print the console output up to the first prompt
  --boot-time         print the boot-to-prompt wall time
  -h, --help          this text`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      image: { type: 'string', default: DEFAULT_IMAGE },
      cmd: { type: 'string', multiple: true, default: [] },
      timeout: { type: 'string', default: String(DEFAULT_TIMEOUT_SEC) },
      'images-dir': { type: 'string' },
      'boot-log': { type: 'boolean', default: false },
      'boot-time': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const timeoutSec = Number(values.timeout);
  if (!Number.isFinite(timeoutSec) || timeoutSec <= 0) throw new UsageError(`--timeout must be a positive number`);

  const guest = await QemuGuest.boot({ image: values.image, imagesDir: values['images-dir'], timeoutSec });
  try {
    if (values['boot-log']) process.stdout.write(guest.consoleText.replace(/\r\n/g, '\n') + '\n');
    if (values['boot-time']) console.error(`boot to prompt: ${(guest.bootMs / 1000).toFixed(2)} s`);
    for (const command of values.cmd) {
      const result = await guest.run(command);
      process.stdout.write(result.output);
      // The guest's exit status is reported, not propagated: the oracle ran.
      if (result.status !== 0) console.error(`oracle: "${command}" exited with status ${result.status}`);
    }
    await guest.poweroff();
  } catch (err) {
    await guest.kill();
    throw err;
  }
  return 0;
}

class UsageError extends Error {
  readonly code = 'USAGE';
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    // User errors (missing or corrupted image, timeout, bad option) are one
    // line; only unexpected failures show a stack, and only with PRNR_DEBUG.
    const code = errorCode(err);
    console.error(`oracle: ${errorMessage(err)}`);
    if (code === 'USAGE' || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) console.error(USAGE);
    if (!code && process.env.PRNR_DEBUG) console.error(err);
    process.exit(code === 'USAGE' ? 2 : 1);
  },
);
