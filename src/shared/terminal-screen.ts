// A small terminal screen: applies console output bytes to a rows x cols grid
// the way a VT100-ish terminal would for plain shell output: printable bytes,
// \r, \n, backspace, tab; ANSI escape sequences (CSI, OSC, two-byte ESC) are
// skipped. Draws the console as it looked at a tick (recording/console.ts),
// the same in the CLI, the engine and the app.
// XXX: cursor movement and erase sequences are skipped, not applied.

export class TerminalScreen {
  private lines: string[][];
  private row = 0;
  private col = 0;
  private escape: 'none' | 'esc' | 'csi' | 'osc' | 'osc-esc' = 'none';

  constructor(
    readonly rows = 24,
    readonly cols = 80,
  ) {
    this.lines = Array.from({ length: rows }, () => []);
  }

  write(bytes: Uint8Array): void {
    for (const b of bytes) this.byte(b);
  }

  private byte(b: number): void {
    switch (this.escape) {
      case 'esc':
        this.escape = b === 0x5b ? 'csi' : b === 0x5d ? 'osc' : 'none';
        return;
      case 'csi':
        if (b >= 0x40 && b <= 0x7e) this.escape = 'none';
        return;
      case 'osc':
        if (b === 0x07) this.escape = 'none';
        else if (b === 0x1b) this.escape = 'osc-esc';
        return;
      case 'osc-esc':
        this.escape = 'none';
        return;
    }
    if (b === 0x1b) this.escape = 'esc';
    else if (b === 0x0d) this.col = 0;
    else if (b === 0x0a) this.newline();
    else if (b === 0x08) this.col = Math.max(0, this.col - 1);
    else if (b === 0x09) this.col = Math.min(this.cols - 1, (this.col & ~7) + 8);
    else if (b >= 0x20 && b !== 0x7f) {
      if (this.col >= this.cols) {
        this.newline();
        this.col = 0;
      }
      const line = this.lines[this.row];
      while (line.length < this.col) line.push(' ');
      line[this.col++] = String.fromCharCode(b);
    }
  }

  private newline(): void {
    // A tty's ONLCR turns \n into \r\n; plain \n output is shown the same way.
    this.col = 0;
    if (this.row < this.rows - 1) this.row++;
    else {
      this.lines.shift();
      this.lines.push([]);
    }
  }

  /** The screen as text, one line per row, trailing spaces trimmed. */
  text(): string[] {
    return this.lines.map((l) => l.join('').replace(/\s+$/, ''));
  }

  get cursor(): { row: number; col: number } {
    return { row: this.row, col: this.col };
  }
}
