// The code the panel lists around pc: the 256-byte block holding pc with 64
// bytes of context either side, within pc's page (the one page known to be
// mapped; src/analysis/code-listing.ts codeWindow is `prnr seek --disasm`'s
// narrower one). Steps of pc within a block at the same code list the same
// text, so the editor keeps its text and only moves the highlight.

const PAGE = 0x1000n;
const BLOCK = 0x100n;
const CONTEXT = 64n;

export function listingWindow(pc: bigint): { base: bigint; length: number } {
  const page = pc & ~(PAGE - 1n);
  const block = pc & ~(BLOCK - 1n);
  const base = block - CONTEXT < page ? page : block - CONTEXT;
  const end = block + BLOCK + CONTEXT > page + PAGE ? page + PAGE : block + BLOCK + CONTEXT;
  return { base, length: Number(end - base) };
}
