// An xterm.js terminal as a React component. The component owns the xterm
// instance; its parent gets a small handle (write bytes, read the screen) in
// `attach`, whose return value is called when the terminal goes away.
import { FitAddon } from '@xterm/addon-fit';
import { Terminal as XTerm } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef } from 'react';
import './terminal.css';

export interface TerminalHandle {
  /** Writes guest output (raw bytes; xterm decodes UTF-8 and escape sequences). */
  write(bytes: Uint8Array): void;
  /** The text of the whole buffer (scrollback and screen), one line per row, right-trimmed. */
  text(): string;
  focus(): void;
}

export interface TerminalProps {
  /** Called once the terminal exists; returns the detach function. */
  attach(handle: TerminalHandle): () => void;
  /** What the user types (xterm's onData: Enter is "\r", keys as escape sequences). */
  onData(data: string): void;
  testId?: string;
}

export function Terminal({ attach, onData, testId }: TerminalProps) {
  const container = useRef<HTMLDivElement>(null);
  // The latest callbacks, so the xterm instance is created once per mount.
  const callbacks = useRef({ attach, onData });
  callbacks.current = { attach, onData };

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const term = new XTerm({
      convertEol: false,
      cursorBlink: true,
      fontFamily: "ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace",
      fontSize: 13,
      scrollback: 5000,
      theme: { background: '#0a0c10' },
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(element);
    fit.fit();
    const resize = new ResizeObserver(() => fit.fit());
    resize.observe(element);
    const typed = term.onData((data) => callbacks.current.onData(data));
    const handle: TerminalHandle = {
      write: (bytes) => term.write(bytes),
      text() {
        const buffer = term.buffer.active;
        const lines: string[] = [];
        for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? '');
        return lines.join('\n').replace(/\n+$/, '');
      },
      focus: () => term.focus(),
    };
    const detach = callbacks.current.attach(handle);
    term.focus();
    return () => {
      detach();
      typed.dispose();
      resize.disconnect();
      term.dispose();
    };
  }, []);

  return <div className="terminal" ref={container} data-testid={testId} />;
}
