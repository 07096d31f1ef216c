// Aligning two sequences (Myers, "An O(ND) difference algorithm and its
// variations", 1986): the shortest edit script, as the stretches that differ.
// The common head and tail are taken off first, so two runs that part ways
// once cost little more than their length.

/** A stretch that differs: a[aStart, aEnd) in place of b[bStart, bEnd) (either may be empty). */
export interface Hunk {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

/** Past this many edits the middle is reported as one hunk rather than aligned (the cost grows as edits squared). */
const MAX_EDITS = 4000;

export function alignSequences(a: readonly string[], b: readonly string[]): Hunk[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const n = a.length - head - tail;
  const m = b.length - head - tail;
  if (n === 0 && m === 0) return [];
  const whole = [{ aStart: head, aEnd: head + n, bStart: head, bEnd: head + m }];
  if (n === 0 || m === 0) return whole;
  const x = (i: number) => a[head + i];
  const y = (j: number) => b[head + j];
  // Forward greedy search, keeping each round's furthest reaches for the walk back.
  const max = Math.min(n + m, MAX_EDITS);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let i = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let j = i - k;
      while (i < n && j < m && x(i) === y(j)) {
        i++;
        j++;
      }
      next[offset + k] = i;
      if (i >= n && j >= m) {
        found = d;
        break;
      }
    }
    v = next;
  }
  if (found < 0) return whole;
  // Walk back: each round's move was an insertion (from k+1) or a deletion (from k-1), then a diagonal.
  const ops: ('=' | '-' | '+')[] = [];
  let i = n;
  let j = m;
  for (let d = found; d > 0; d--) {
    const prev = trace[d];
    const k = i - j;
    const down = k === -d || (k !== d && prev[offset + k - 1] < prev[offset + k + 1]);
    const pk = down ? k + 1 : k - 1;
    const pi = prev[offset + pk];
    const pj = pi - pk;
    while (i > (down ? pi : pi + 1) && j > (down ? pj + 1 : pj)) {
      ops.push('=');
      i--;
      j--;
    }
    ops.push(down ? '+' : '-');
    if (down) j--;
    else i--;
  }
  while (i > 0 && j > 0) {
    ops.push('=');
    i--;
    j--;
  }
  ops.reverse();
  const hunks: Hunk[] = [];
  let ai = head;
  let bj = head;
  let open: Hunk | undefined;
  for (const op of ops) {
    if (op === '=') {
      open = undefined;
      ai++;
      bj++;
      continue;
    }
    if (!open) hunks.push((open = { aStart: ai, aEnd: ai, bStart: bj, bEnd: bj }));
    if (op === '-') open.aEnd = ++ai;
    else open.bEnd = ++bj;
  }
  return hunks;
}
