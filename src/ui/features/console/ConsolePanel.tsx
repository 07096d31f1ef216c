// The console as it looked at the playhead: xterm.js (the emulator the CLI's
// screen model runs headless, src/shared/terminal-screen.ts) fed the guest's
// output up to the tick; moving forward asks for and writes only the bytes in
// between, moving back redraws from the start. The screen's text is also kept in a
// visually hidden <pre> (data-testid="console-screen"): read back from
// xterm's buffer once the bytes are parsed, for screen readers and tests.
import { Terminal as XTerm } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { errorMessage } from '../../../shared/errors';
import { SCREEN_COLS, SCREEN_ROWS, useConsoleAt } from './queries';
import './console.css';

/** `bytes` after RIS (ESC c), the full reset xterm.reset() does, in one chunk: xterm parses a write's chunks in one task only while they take under 12 ms. */
function withReset(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length + 2);
  out.set([0x1b, 0x63]);
  out.set(bytes, 2);
  return out;
}

interface Screen {
  tick: bigint;
  text: string;
}

function screenText(term: XTerm): string {
  const buffer = term.buffer.active;
  const lines: string[] = [];
  for (let row = 0; row < term.rows; row++) lines.push(buffer.getLine(buffer.baseY + row)?.translateToString(true) ?? '');
  return lines.join('\n');
}

export function ConsolePanel({ id, tick }: { id: string; tick: bigint }) {
  // The tick the terminal holds (written, perhaps not yet parsed), or null: redraw from the start.
  const shown = useRef<bigint | null>(null);
  const [generation, setGeneration] = useState(0);
  const query = useConsoleAt(id, tick, shown.current, generation);
  const container = useRef<HTMLDivElement>(null);
  const term = useRef<XTerm | null>(null);
  const [screen, setScreen] = useState<Screen | null>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const xterm = new XTerm({
      rows: SCREEN_ROWS,
      cols: SCREEN_COLS,
      convertEol: false,
      disableStdin: true,
      cursorBlink: false,
      cursorInactiveStyle: 'block',
      scrollback: 2000,
      fontFamily: "ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace",
      fontSize: 13,
      theme: { background: '#0a0c10', cursor: '#ff7b72' },
    });
    xterm.open(element);
    term.current = xterm;
    return () => {
      term.current = null;
      shown.current = null;
      xterm.dispose();
    };
  }, []);

  const data = query.data;
  // In the commit that brings the answer (a passive effect ran a task or a frame later), so xterm parses it at once.
  useLayoutEffect(() => {
    const xterm = term.current;
    if (!xterm || !data || shown.current === data.tick) return;
    // The bytes since the tick shown, or everything from a reset terminal; an answer from another starting point asks again from the start.
    if (data.after !== undefined && data.after !== shown.current) {
      shown.current = null;
      setGeneration((g) => g + 1);
      return;
    }
    shown.current = data.tick;
    const tickShown = data.tick;
    // The reset is the terminal's own (ESC c) at the head of the bytes, so it happens in their parse: xterm.reset()
    // before the write cleared the rows at once and had the renderer paint a blank screen a frame ahead of the text.
    // Rendered at once, in xterm's parse task (not a task later): the screen's text is what a seek waits for.
    xterm.write(data.after === undefined ? withReset(data.bytes) : data.bytes, () => {
      if (shown.current === tickShown) flushSync(() => setScreen({ tick: tickShown, text: screenText(xterm) }));
    });
  }, [data]);

  const painted = screen !== null && screen.tick === tick;
  return (
    <section className="panel-box console-panel" aria-label="Console">
      <header className="panel-title">
        <h2>Console</h2>
        <span className="muted">
          {SCREEN_ROWS}×{SCREEN_COLS} · {screen ? `tick ${screen.tick}` : 'loading…'}
        </span>
      </header>
      {query.isError && (
        <p className="panel-error" role="alert">
          {errorMessage(query.error)}
        </p>
      )}
      <div className="console-terminal" ref={container} aria-hidden="true" data-painted={painted} />
      <pre className="visually-hidden" data-testid="console-screen" data-tick={screen?.tick.toString()}>
        {screen?.text ?? ''}
      </pre>
    </section>
  );
}
