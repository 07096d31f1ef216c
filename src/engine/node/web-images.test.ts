// The browser image loader, run in Node (which has fetch, crypto.subtle and
// DecompressionStream too) against a local HTTP server.
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode } from '../../shared/errors';
import type { ImageLoadProgress } from '../images';
import { loadWebBootImage } from '../web/images';
import { writeTestImage } from './test-image';

const kernel = new Uint8Array(300_000).map((_, i) => (i * 7) % 256);

describe('browser image loader (fetch, DecompressionStream, crypto.subtle)', () => {
  let dir: string;
  let server: Server;
  let base: string;
  /** Like servers that send *.gz with Content-Encoding: gzip (vite preview does). */
  let contentEncoding = false;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'prnr-web-images-'));
    await writeTestImage(dir, 'tiny', { firmware: new Uint8Array([1, 2, 3]), kernel, initrd: new Uint8Array(5000) });
    server = createServer((req, res) => {
      const path = join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/images\//, ''));
      readFile(path).then(
        (body) => {
          const gz = path.endsWith('.gz');
          res.writeHead(200, { 'content-type': gz ? 'application/gzip' : 'application/json', ...(gz && contentEncoding ? { 'content-encoding': 'gzip' } : {}) });
          res.end(body);
        },
        () => {
          // A single-page-app fallback: unknown paths get index.html.
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end('<!doctype html><title>prnr</title>');
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (typeof address !== 'object' || !address) throw new Error('no server address');
    base = `http://127.0.0.1:${address.port}/images`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  for (const encoded of [false, true]) {
    it(`downloads, decompresses and verifies the boot files${encoded ? ' when the server sends Content-Encoding: gzip' : ''}`, async () => {
      contentEncoding = encoded;
      const progress: ImageLoadProgress[] = [];
      const image = await loadWebBootImage('tiny', (p) => progress.push(p), base);
      expect(Buffer.compare(image.files.kernel, kernel)).toBe(0); // (toEqual on 300 KB is slow)
      expect(image.files.firmware).toEqual(new Uint8Array([1, 2, 3]));
      expect(progress.at(-1)).toMatchObject({ phase: 'ready' });
      expect(progress.some((p) => p.phase === 'download' && p.loadedBytes > 0)).toBe(true);
    });
  }

  it('reports an image the server does not have (its HTML fallback) as not found', async () => {
    const err: unknown = await loadWebBootImage('missing', undefined, base).catch((e: unknown) => e);
    expect(errorCode(err)).toBe('IMAGE_NOT_FOUND');
    expect(String(err)).toContain('image "missing" not found');
  });
});
