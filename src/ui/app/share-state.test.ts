import { describe, expect, it } from 'vitest';
import { parseRecordingLocation, recordingPath, type RecordingLocation } from './share-state';

describe('shareable recording links', () => {
  it('reads tick, view and pid from a link', () => {
    expect(parseRecordingLocation('demo-1', '?t=1200345&view=syscalls&pid=42')).toEqual({
      ok: true,
      location: { recordingId: 'demo-1', tick: 1200345n, view: 'syscalls', pid: 42 },
    });
  });

  it('defaults to the console view at the start', () => {
    expect(parseRecordingLocation('demo-1', '')).toEqual({ ok: true, location: { recordingId: 'demo-1', view: 'console' } });
  });

  it('writes links that read back to the same state, ticks beyond 2^53 included', () => {
    const location: RecordingLocation = { recordingId: 'abc', tick: 18446744073709551615n, view: 'memory', pid: 7 };
    const path = recordingPath(location);
    expect(path).toBe('/r/abc?t=18446744073709551615&view=memory&pid=7');
    const url = new URL(path, 'http://x');
    expect(parseRecordingLocation(url.pathname.split('/')[2], url.search)).toEqual({ ok: true, location });
  });

  it('keeps the memory panel\'s address and space and a recording\'s source URL', () => {
    const location: RecordingLocation = { recordingId: 'abc', tick: 5n, view: 'disassembly', addr: 0xffffffff80000000n, space: 'phys', src: '/x/y.prnr?a=1' };
    const path = recordingPath(location);
    expect(path).toBe('/r/abc?t=5&view=disassembly&addr=0xffffffff80000000&space=phys&src=%2Fx%2Fy.prnr%3Fa%3D1');
    const url = new URL(path, 'http://x');
    expect(parseRecordingLocation(url.pathname.split('/')[2], url.search)).toEqual({ ok: true, location });
  });

  it("keeps the syscalls view's filter", () => {
    const location: RecordingLocation = { recordingId: 'abc', view: 'syscalls', pid: 42, q: 'openat "/etc', call: 'openat', cat: 'file', failed: true };
    const path = recordingPath(location);
    expect(path).toBe('/r/abc?view=syscalls&pid=42&q=openat+%22%2Fetc&call=openat&cat=file&failed=1');
    const url = new URL(path, 'http://x');
    expect(parseRecordingLocation(url.pathname.split('/')[2], url.search)).toEqual({ ok: true, location });
  });

  it('leaves defaults out of the link', () => {
    expect(recordingPath({ recordingId: 'abc', view: 'console' })).toBe('/r/abc');
  });

  it.each([
    ['?t=12abc', /^t: a tick is a decimal integer/],
    ['?t=-5', /^t: /],
    ['?t=99999999999999999999999', /^t: a tick is at most/],
    ['?view=nope', /^view: "nope" is not one of console, registers, memory, disassembly, syscalls/],
    ['?pid=0', /^pid: /],
    ['?addr=80200000', /^addr: an address is hex/],
    ['?addr=0x12345678901234567', /^addr: /],
    ['?space=io', /^space: "io" is not one of virt, phys/],
    ['?cat=disk', /^cat: "disk" is not one of file, process/],
    ['?call=Open%20At', /^call: a syscall name/],
    ['?failed=yes', /^failed: only failed=1/],
  ])('rejects %s with a clear message', (search, message) => {
    const parsed = parseRecordingLocation('abc', search);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });

  it('rejects a malformed recording id', () => {
    expect(parseRecordingLocation('a b', '')).toMatchObject({ ok: false });
  });
});
