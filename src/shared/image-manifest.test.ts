import { describe, expect, it } from 'vitest';
import committedManifest from '../../public/images/default/manifest.json' with { type: 'json' };
import { errorCode } from './errors.ts';
import { IMAGE_FILE_ROLES, imageFiles, parseImageManifest, validateImageManifest } from './image-manifest.ts';

const committed = JSON.stringify(committedManifest);

type ManifestJson = Record<string, unknown> & {
  files: Record<string, Record<string, unknown> & { contentSize: number }>;
};

function mutated(change: (json: ManifestJson) => void): unknown {
  const json = JSON.parse(committed) as ManifestJson;
  change(json);
  return json;
}

function rejection(json: unknown): string {
  try {
    validateImageManifest(json);
  } catch (err) {
    expect(errorCode(err)).toBe('IMAGE_MANIFEST_INVALID');
    return (err as Error).message;
  }
  throw new Error('manifest was accepted');
}

describe('image manifest', () => {
  it('parses the committed default manifest', () => {
    const manifest = parseImageManifest(committed);
    expect(manifest.name).toBe('default');
    expect(manifest.ramMiB).toBe(128);
    expect(manifest.prompt).toBe('prnr# ');
    expect(manifest.kernelCmdline).toContain('console=ttyS0');
    // One file for every role, in the roles' order.
    expect(imageFiles(manifest).map(({ role }) => role)).toEqual(IMAGE_FILE_ROLES);
  });

  it('rejects text that is not JSON', () => {
    expect(() => parseImageManifest('{')).toThrow(/not valid JSON/);
  });

  it('rejects another format or version', () => {
    expect(rejection(mutated((j) => (j.format = 'other')))).toMatch(/format/);
    expect(rejection(mutated((j) => (j.version = 2)))).toMatch(/version 2 is not supported/);
  });

  it('names the field that is wrong', () => {
    expect(rejection(mutated((j) => (j.files.kernel.sha256 = 'abc')))).toMatch(/files\.kernel\.sha256/);
    expect(rejection(mutated((j) => (j.files.initrd.size = -1)))).toMatch(/files\.initrd\.size/);
    expect(rejection(mutated((j) => (j.ramMiB = '128')))).toMatch(/ramMiB/);
    expect(rejection(mutated((j) => delete j.files.firmware))).toMatch(/files\.firmware is missing/);
    expect(rejection(mutated((j) => (j.files.rootfs = j.files.disk)))).toMatch(/files\.rootfs is not a known role/);
    expect(rejection(mutated((j) => (j.prompt = '')))).toMatch(/prompt/);
  });

  it('only names files inside the image directory', () => {
    expect(rejection(mutated((j) => (j.files.kernel.name = '../Image.gz')))).toMatch(/plain file name/);
    expect(rejection(mutated((j) => (j.files.kernel.name = '/etc/passwd')))).toMatch(/plain file name/);
  });

  it('requires an uncompressed file to describe its content identically', () => {
    expect(rejection(mutated((j) => (j.files.profile.contentSize += 1)))).toMatch(/uncompressed/);
  });
});
