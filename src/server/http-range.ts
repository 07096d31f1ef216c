// The byte ranges of a Range header (RFC 9110 14.1.2): "bytes=a-b", "bytes=a-",
// "bytes=-n", or several of them separated by commas, which are answered as
// one multipart/byteranges body (RFC 9110 14.6). Overlapping and adjacent
// ranges are joined (14.2 lets a server do so) and the parts come in file
// order; a client finds each by its Content-Range. A header that is not one
// (a typo, more than MAX_RANGES ranges) gets the whole file, as the RFC
// allows; ranges that all lie outside the file are a 416.

export type RangeAnswer = { kind: 'whole' } | { kind: 'ranges'; ranges: Array<[start: number, end: number]> } | { kind: 'unsatisfiable' };

/** Ranges one request may ask for; more get the whole file. */
export const MAX_RANGES = 1000;

/** One range spec, [start, end) within `size`; null if it is not one, 'outside' if it lies outside. */
function oneRange(spec: string, size: number): [number, number] | 'outside' | null {
  const m = /^(\d{0,16})-(\d{0,16})$/.exec(spec.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'outside';
    return [Math.max(0, size - suffix), size];
  }
  const start = Number(m[1]);
  if (m[2] !== '' && Number(m[2]) < start) return null;
  if (start >= size) return 'outside';
  return [start, m[2] === '' ? size : Math.min(size, Number(m[2]) + 1)];
}

/** The ranges `header` asks for in a file of `size` bytes, sorted and joined; `end` is exclusive. */
export function parseRange(header: string | undefined, size: number): RangeAnswer {
  if (header === undefined) return { kind: 'whole' };
  const m = /^bytes=(.*)$/.exec(header.trim());
  if (!m) return { kind: 'whole' };
  const specs = m[1].split(',');
  if (specs.length > MAX_RANGES) return { kind: 'whole' };
  const ranges: Array<[number, number]> = [];
  for (const spec of specs) {
    const range = oneRange(spec, size);
    if (range === null) return { kind: 'whole' };
    if (range !== 'outside') ranges.push(range);
  }
  if (ranges.length === 0) return { kind: 'unsatisfiable' };
  ranges.sort((a, b) => a[0] - b[0]);
  const joined: Array<[number, number]> = [];
  for (const [start, end] of ranges) {
    const last = joined[joined.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else joined.push([start, end]);
  }
  return { kind: 'ranges', ranges: joined };
}

/** A multipart/byteranges answer: its content type, its length, and its body from the file's bytes. */
export interface MultipartRanges {
  contentType: string;
  length: number;
  body(): AsyncGenerator<Buffer>;
}

/** The multipart/byteranges body of `ranges` of a file of `size` bytes, whose bytes [start, end) `read` yields. */
export function multipartRanges(ranges: ReadonlyArray<readonly [number, number]>, size: number, boundary: string, read: (start: number, end: number) => AsyncIterable<Buffer>): MultipartRanges {
  const heads = ranges.map(([start, end], i) => Buffer.from(`${i === 0 ? '' : '\r\n'}--${boundary}\r\ncontent-type: application/octet-stream\r\ncontent-range: bytes ${start}-${end - 1}/${size}\r\n\r\n`));
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const length = heads.reduce((sum, h, i) => sum + h.length + ranges[i][1] - ranges[i][0], tail.length);
  return {
    contentType: `multipart/byteranges; boundary=${boundary}`,
    length,
    async *body() {
      for (const [i, [start, end]] of ranges.entries()) {
        yield heads[i];
        yield* read(start, end);
      }
      yield tail;
    },
  };
}
