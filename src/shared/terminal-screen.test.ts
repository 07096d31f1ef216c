import { describe, expect, it } from 'vitest';
import { TerminalScreen } from './terminal-screen';

const bytes = (text: string) => new TextEncoder().encode(text);

async function screenOf(text: string, rows = 4, cols = 10): Promise<TerminalScreen> {
  const screen = new TerminalScreen(rows, cols);
  await screen.write(bytes(text));
  return screen;
}

describe('TerminalScreen (xterm.js headless)', () => {
  it('prints lines, returns to the line start on \\r and backs up on backspace', async () => {
    expect((await screenOf('ab\r\ncd\rX\r\nef\bG')).text()).toEqual(['ab', 'Xd', 'eG', '']);
  });

  it('moves down without returning on a bare \\n, as a terminal does', async () => {
    expect((await screenOf('ab\ncd')).text()).toEqual(['ab', '  cd', '', '']);
  });

  it('applies cursor movement and erase sequences (the old model skipped them)', async () => {
    // Write two rows, go to row 1 col 3 and overwrite, erase the rest of row 2, then move up one and write.
    const screen = await screenOf('hello\r\nworld\x1b[1;3HXY\x1b[2;2H\x1b[K\x1b[Az');
    expect(screen.text()).toEqual(['hzXYo', 'w', '', '']);
    expect(screen.cursor).toEqual({ row: 0, col: 2 });
  });

  it('skips SGR colours and OSC titles, keeping the text', async () => {
    expect((await screenOf('\x1b[1;32mgreen\x1b[0m \x1b]0;title\x07t\x1b]2;x\x1b\\u')).text()[0]).toBe('green tu');
  });

  it('wraps at the last column, tabs to multiples of 8, scrolls at the bottom and decodes UTF-8', async () => {
    const screen = await screenOf('0123456789AB\r\nx\ty\r\n1\r\n2\r\n✓é');
    // 0123456789 / AB / x<tab>y / 1 / 2 / ✓é: the first two rows scrolled away.
    expect(screen.text()).toEqual(['x       y', '1', '2', '✓é']);
    expect(screen.cursor).toEqual({ row: 3, col: 2 });
  });

  it('clears the screen on ESC [2J ESC [H (what `clear` prints)', async () => {
    expect((await screenOf('junk\r\nmore\x1b[H\x1b[2Jtop')).text()).toEqual(['top', '', '', '']);
  });
});
