// Every committed image matches its manifest: sizes and sha256 of each stored
// file and of its decompressed content, and no file is left unlisted.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseOsProfile } from '../../src/analysis/os-profile.ts';
import { imageFiles, parseImageManifest } from '../../src/shared/image-manifest.ts';
import { DEFAULT_IMAGES_DIR, loadImageManifest, sha256Hex, verifyImage } from './images.ts';

const imageNames = readdirSync(DEFAULT_IMAGES_DIR).filter((name) =>
  statSync(join(DEFAULT_IMAGES_DIR, name)).isDirectory(),
);

describe('committed guest images', () => {
  it('include the default image', () => {
    expect(imageNames).toContain('default');
  });

  it('stay under 20 MiB in total', () => {
    let total = 0;
    for (const name of imageNames) {
      for (const file of readdirSync(join(DEFAULT_IMAGES_DIR, name))) {
        total += statSync(join(DEFAULT_IMAGES_DIR, name, file)).size;
      }
    }
    expect(total).toBeLessThan(20 * 1024 * 1024);
  });

  for (const name of imageNames) {
    describe(name, () => {
      const dir = join(DEFAULT_IMAGES_DIR, name);
      const manifest = parseImageManifest(readFileSync(join(dir, 'manifest.json'), 'utf8'));

      it('lists every file in its directory', () => {
        const listed = imageFiles(manifest).map(({ file }) => file.name);
        expect(readdirSync(dir).sort()).toEqual([...listed, 'manifest.json'].sort());
      });

      for (const { role, file } of imageFiles(manifest)) {
        it(`${role} ${file.name} matches its size and sha256, stored and decompressed`, () => {
          const stored = new Uint8Array(readFileSync(join(dir, file.name)));
          expect(stored.length).toBe(file.size);
          expect(sha256Hex(stored)).toBe(file.sha256);
          const content = file.compression === 'gzip' ? new Uint8Array(gunzipSync(stored)) : stored;
          expect(content.length).toBe(file.contentSize);
          expect(sha256Hex(content)).toBe(file.contentSha256);
        });
      }

      it('passes the oracle loader verification', async () => {
        await expect(verifyImage(await loadImageManifest(DEFAULT_IMAGES_DIR, name))).resolves.toBeUndefined();
      });

      it('has an introspection profile with the task_struct fields and the riscv64 syscalls', () => {
        const profile = parseOsProfile(readFileSync(join(dir, manifest.files.profile.name), 'utf8'));
        const task = profile.structs.task_struct!.fields;
        for (const field of ['pid', 'tgid', 'comm', 'mm', 'real_parent', 'tasks', 'stack', 'thread_info']) {
          expect(task[field], field).toBeDefined();
        }
        expect(task.comm!.size).toBe(16);
        expect(profile.structs.mm_struct!.fields.pgd).toBeDefined();
        expect(profile.syscalls['63']).toBe('read');
        expect(profile.syscalls['64']).toBe('write');
        expect(profile.syscalls['220']).toBe('clone');
        expect(profile.syscalls['221']).toBe('execve');
        expect(profile.syscalls['259']).toBe('riscv_flush_icache');
        expect(profile.symbols.__switch_to).toMatch(/^0xffffffff8/);
        expect(profile.kernel.hz).toBe(manifest.kernelHz);
      });
    });
  }
});
