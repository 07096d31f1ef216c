import { describe, expect, it } from 'vitest';
import { TerminalScreen } from './terminal-screen';

const bytes = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

function screenOf(text: string, rows = 4, cols = 10): TerminalScreen {
  const screen = new TerminalScreen(rows, cols);
  screen.write(bytes(text));
  return screen;
}

describe('TerminalScreen', () => {
  it('prints lines, returns to the line start on \\r and backs up on backspace', () => {
    expect(screenOf('ab\r\ncd\rX\nef\bG').text()).toEqual(['ab', 'Xd', 'eG', '']);
  });

  it('skips CSI, OSC and two-byte escape sequences', () => {
    expect(screenOf('\x1b[1;32mgreen\x1b[0m \x1b]0;title\x07t\x1b]2;x\x1b\\u\x1b=v').text()[0]).toBe('green tuv');
  });

  it('wraps at the last column, tabs to multiples of 8 and scrolls at the bottom', () => {
    const screen = screenOf('0123456789AB\nx\ty\n1\n2\n3');
    // 0123456789 / AB / x<tab>y / 1 / 2 / 3: the first two rows scrolled away.
    expect(screen.text()).toEqual(['x       y', '1', '2', '3']);
    expect(screen.cursor).toEqual({ row: 3, col: 1 });
  });
});
