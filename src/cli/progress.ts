// One progress line per analysis asked for (by label), redrawn in place on a
// terminal; elsewhere (a pipe, a file, a test) each line is printed once,
// when its dimension is done.
import type { AnalysisProgress } from '../engine/analyze/run';

export class ProgressLines {
  private readonly lines = new Map<string, string>();
  private readonly cached = new Map<string, number>();
  private readonly pad: number;
  private readonly tty: boolean;
  private drawn = 0;

  /** `started`: when the command began (Date.now()), for the time each line says it took. */
  constructor(
    private readonly out: NodeJS.WriteStream,
    dimensions: readonly string[],
    private readonly total: number,
    private readonly started: number,
  ) {
    this.tty = out.isTTY === true;
    this.pad = Math.max(...dimensions.map((d) => d.length));
    for (const d of dimensions) this.lines.set(d, this.text(d, 0, 0));
  }

  private text(dimension: string, done: number, cached: number): string {
    return `${dimension.padEnd(this.pad)}  ${done}/${this.total} slices${cached > 0 ? ` (${cached} from the cache)` : ''}`;
  }

  update(p: AnalysisProgress): void {
    const cached = (this.cached.get(p.label) ?? 0) + (p.cached ? 1 : 0);
    this.cached.set(p.label, cached);
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    const line = `${this.text(p.label, p.done, cached)}${p.done === p.total ? `, done in ${seconds} s` : ''}`;
    this.lines.set(p.label, line);
    if (this.tty) this.draw();
    else if (p.done === p.total) this.out.write(`${line}\n`);
  }

  private draw(): void {
    if (this.drawn > 0) this.out.write(`\x1b[${this.drawn}A`);
    for (const line of this.lines.values()) this.out.write(`\r\x1b[K${line}\n`);
    this.drawn = this.lines.size;
  }

  /** With `clear`, takes the lines off a terminal (the command prints its results in their place). */
  done(clear = false): void {
    if (!this.tty || this.drawn === 0 || !clear) return;
    this.out.write(`\x1b[${this.drawn}A`);
    for (let i = 0; i < this.drawn; i++) this.out.write('\r\x1b[K\n');
    this.out.write(`\x1b[${this.drawn}A`);
  }
}
