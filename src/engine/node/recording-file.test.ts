// Publishing a finished recording never replaces one that appeared meanwhile
// (unless forced), and a .partial is never taken over.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { errorCode } from '../../shared/errors';
import { FileSink, FileSource } from './recording-file';

const dir = mkdtempSync(join(tmpdir(), 'prnr-recording-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What `fn` throws, as [code, message]. */
function thrown(fn: () => void): [string | undefined, string] {
  try {
    fn();
  } catch (err) {
    return [errorCode(err), (err as Error).message];
  }
  throw new Error('did not throw');
}

describe('FileSink', () => {
  it('publishes <out>.partial as <out>, leaving no .partial', () => {
    const out = join(dir, 'plain.prnr');
    const sink = new FileSink(out);
    sink.append(new Uint8Array([1, 2, 3]));
    sink.finish();
    expect([...readFileSync(out)]).toEqual([1, 2, 3]);
    expect(existsSync(`${out}.partial`)).toBe(false);
  });

  it('keeps its recording as .partial, and the other file as it is, when <out> appeared while it recorded', () => {
    const out = join(dir, 'appeared.prnr');
    const sink = new FileSink(out);
    sink.append(new Uint8Array([1, 2, 3]));
    writeFileSync(out, 'the other recording');
    expect(thrown(() => sink.finish())).toEqual(['RECORDING_EXISTS', `${out} appeared while this recording ran (another prnr record?) and is left as it is; this recording is kept, complete, as ${out}.partial (it opens as it is; rename it to keep it)`]);
    expect(readFileSync(out, 'utf8')).toBe('the other recording');
    expect([...readFileSync(`${out}.partial`)]).toEqual([1, 2, 3]);
  });

  it('with force, replaces <out> when it finishes, but never takes over a .partial', () => {
    const out = join(dir, 'forced.prnr');
    writeFileSync(out, 'an older recording');
    const sink = new FileSink(out, { force: true });
    expect(thrown(() => new FileSink(out, { force: true }))[0]).toBe('RECORDING_IN_PROGRESS');
    sink.append(new Uint8Array([4, 5]));
    sink.finish();
    expect([...readFileSync(out)]).toEqual([4, 5]);
  });
});

describe('FileSource', () => {
  it('refuses a FIFO at once, without waiting for a writer', () => {
    const fifo = join(dir, 'pipe.prnr');
    execFileSync('mkfifo', [fifo]);
    expect(thrown(() => FileSource.open(fifo))).toEqual(['RECORDING_NOT_FOUND', `${fifo} is not a regular file (a pipe or device?), not a recording; save it to a file first`]);
    expect(thrown(() => FileSource.open(dir))).toEqual(['RECORDING_NOT_FOUND', `${dir} is a directory, not a recording; save it to a file first`]);
  });
});
