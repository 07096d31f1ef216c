// The demo recordings that ship with the app (public/demos), one entry each:
// what `npm run demos` types at the default image's prompt, with which
// entropy seed, and what the library tells a student to look at. The two
// diverge runs share a seed, so they differ only in the input they were given.

export interface DemoSpec {
  /** File name stem and stable handle (public/demos/<name>.prnr.gz). */
  name: string;
  title: string;
  /** Two lines on what to look at. */
  about: [string, string];
  commands: string[];
  /** `prnr record --seed`: the same seed and commands record the same bytes. */
  seed: bigint;
}

export const DEMO_SEED = 20261201n;

export const DEMOS: readonly DemoSpec[] = [
  {
    name: 'first-tour',
    title: 'A first tour',
    about: [
      'Linux boots to the prnr# prompt, then uname -a, ls / and ls /demo print what the guest is.',
      'Scrub to the end to see /demo/cpubench print its checksums: a program computing, instruction by instruction.',
    ],
    commands: ['uname -a', 'ls /', 'ls /demo', '/demo/cpubench 2'],
    seed: DEMO_SEED,
  },
  {
    name: 'fork-and-pipe',
    title: 'Fork and pipe',
    about: [
      '/demo/forkpipe forks three children, each writing a line into a pipe its parent reads back.',
      'Then it re-executes itself as a child and pipes numbers through it: watch the output arrive in order.',
    ],
    commands: ['/demo/forkpipe'],
    seed: DEMO_SEED,
  },
  {
    name: 'file-io',
    title: 'File I/O on the data disk',
    about: [
      'ls -l /data and wc read the ext2 data disk; /demo/fileproc writes, fsyncs, re-reads and deletes a file on it.',
      'The slices after the fsync and the final sync change disk blocks, not just RAM pages.',
    ],
    commands: ['ls -l /data', 'wc /data/words.txt', '/demo/fileproc /data/fileproc.txt 300', 'sync'],
    seed: DEMO_SEED,
  },
  {
    name: 'diverge-a',
    title: 'Diverge, run A',
    about: [
      '/demo/diverge a takes path A: it writes /tmp/diverge.a, reads it back and prints a sum of squares.',
      'Same seed as run B: both runs are identical until the command line is typed; compare them side by side.',
    ],
    commands: ['/demo/diverge a'],
    seed: DEMO_SEED,
  },
  {
    name: 'diverge-b',
    title: 'Diverge, run B',
    about: [
      '/demo/diverge b takes path B: it makes a directory, writes two files, renames one and prints their product.',
      'Same seed as run A: the first difference is the input, then the openat of a different file.',
    ],
    commands: ['/demo/diverge b'],
    seed: DEMO_SEED,
  },
];
