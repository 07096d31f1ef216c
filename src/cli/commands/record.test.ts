// `prnr record` stopped with Ctrl-C, as a user would: a real prnr process
// receives SIGINT while the guest runs a long command.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_IMAGES_DIR } from '../../engine/node/images';
import { useTempDir } from '../test-dir';
import { prnr, spawnPrnr } from '../../../test/prnr';

const hasDefaultImage = existsSync(join(DEFAULT_IMAGES_DIR, 'default', 'manifest.json'));

describe.skipIf(!hasDefaultImage)('prnr record, interrupted', () => {
  const dir = useTempDir('record');

  it('stops cleanly on SIGINT, keeps every slice up to the last snapshot in OUT.partial and says how to open it', async () => {
    const out = join(dir(), 'cut.prnr');
    const child = spawnPrnr(['record', '--cmd', '/demo/cpubench 100000', '-o', out]);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    // Once the command is typed, let it run for a while (many slices), then press Ctrl-C.
    const deadline = Date.now() + 120_000;
    while (!stderr.includes('[1/1]')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the command was never typed; stderr: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGINT');
    expect(await exited).toEqual({ code: 130, signal: null });

    const kept = /^prnr: kept (\d+) slices, ticks 0 to (\d+) \(up to the last snapshot\), in (.*)$/m.exec(stderr);
    expect(stderr).toMatch(/^prnr: interrupted at tick \d+, during command 1 of 1 \("\/demo\/cpubench 100000"\)$/m);
    expect(kept?.[3]).toBe(`${out}.partial`);
    expect(stderr).toContain(`prnr: it opens in recovery mode: prnr info ${out}.partial, prnr replay ${out}.partial, prnr seek ${out}.partial --tick T`);
    const slices = Number(kept![1]);
    expect(slices).toBeGreaterThan(10);
    expect(existsSync(out)).toBe(false);

    // Asked for OUT, prnr points at OUT.partial; OUT.partial opens with every slice it reported.
    expect(await prnr(['info', out])).toMatchObject({ code: 1, stderr: `prnr: no recording at ${out}; but ${out}.partial is there: an interrupted recording, which keeps every slice up to its last snapshot; open ${out}.partial instead (it opens in recovery mode)\n` });
    const info = await prnr(['info', `${out}.partial`]);
    expect(info.code).toBe(0);
    expect(info.stdout).toContain('recovered (partial file)');
    expect(info.stdout).toMatch(new RegExp(`^slices: ${slices}; `, 'm'));
    expect(info.stdout).toMatch(new RegExp(`^ticks: ${kept![2]} `, 'm'));
  }, 300_000);
});
