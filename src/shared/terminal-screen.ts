// The console screen: console output bytes applied to a rows x cols grid by
// xterm.js's own emulator (@xterm/headless: the parser and buffer of the
// xterm.js the app renders with, without a DOM), so cursor movement, erase,
// scroll regions and wide characters come out as a terminal draws them. Draws
// the console as it looked at a tick (recording/console.ts), the same in the
// CLI, the engine and the app. Writes are parsed asynchronously (xterm
// parses in time-sliced chunks), so `write` resolves once its bytes are on
// the screen.
//
// Line feeds are a terminal's: \n moves down without returning the carriage
// (a tty's ONLCR sends \r\n; the live terminal, Terminal.tsx, is the same).
import xtermHeadless from '@xterm/headless';

const { Terminal } = xtermHeadless;

export interface ScreenCursor {
  row: number;
  col: number;
}

export class TerminalScreen {
  private readonly term: InstanceType<typeof Terminal>;
  private disposed = false;

  constructor(
    readonly rows = 24,
    readonly cols = 80,
  ) {
    this.term = new Terminal({ rows, cols, scrollback: 0, allowProposedApi: true, convertEol: false });
  }

  /** Applies output bytes; resolves once they are parsed onto the screen. */
  write(bytes: Uint8Array): Promise<void> {
    if (this.disposed) return Promise.reject(new Error('TerminalScreen: write after dispose'));
    return new Promise((resolve) => this.term.write(bytes, resolve));
  }

  /** The screen as text, one line per row, trailing spaces trimmed. */
  text(): string[] {
    const buffer = this.term.buffer.active;
    const lines: string[] = [];
    for (let row = 0; row < this.rows; row++) lines.push(buffer.getLine(buffer.baseY + row)?.translateToString(true) ?? '');
    return lines;
  }

  get cursor(): ScreenCursor {
    const buffer = this.term.buffer.active;
    return { row: buffer.cursorY, col: buffer.cursorX };
  }

  dispose(): void {
    this.disposed = true;
    this.term.dispose();
  }
}
