import { describe, expect, it } from 'vitest';
import committedProfile from '../../public/images/default/profile.json' with { type: 'json' };
import { errorCode } from '../shared/errors.ts';
import { parseOsProfile } from './os-profile.ts';

describe('OS profile', () => {
  const profileText = JSON.stringify(committedProfile);

  it('parses the committed default profile', () => {
    const profile = parseOsProfile(profileText);
    expect(profile.kernel.arch).toBe('riscv64');
    expect(profile.structs.task_struct?.fields.pid?.size).toBe(4);
    expect(profile.syscalls['93']).toBe('exit');
  });

  it('rejects a profile of another format', () => {
    expect(() => parseOsProfile('{"format":"x","version":1}')).toThrow(/prnr-os-profile/);
    const bad = JSON.parse(profileText);
    bad.symbols.init_task = 'ffff';
    expect(() => parseOsProfile(JSON.stringify(bad))).toThrow(/init_task/);
    const err: unknown = (() => {
      try {
        return parseOsProfile('not json');
      } catch (e) {
        return e;
      }
    })();
    expect(errorCode(err)).toBe('IMAGE_MANIFEST_INVALID');
  });
});
