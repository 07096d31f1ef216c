import { useCallback, useEffect } from 'react';
import { EngineStatus } from '../engine/EngineStatus';
import { Terminal, type TerminalHandle } from '../terminal/Terminal';
import { LiveStatus } from './LiveStatus';
import { RecordControls } from './RecordControls';
import { useLiveMachine } from './useLiveMachine';
import './live.css';

/** The image the live view boots (public/images/default). */
const LIVE_IMAGE = 'default';

declare global {
  interface Window {
    /** Test hook (e2e): the live terminal's text, scrollback included. */
    __prnrTerminalText?: () => string;
  }
}

export function LivePage() {
  const { machine, snapshot } = useLiveMachine();
  useEffect(() => machine.start(LIVE_IMAGE), [machine]);

  const attach = useCallback(
    (terminal: TerminalHandle) => {
      const detach = machine.attachConsole((bytes) => terminal.write(bytes));
      window.__prnrTerminalText = () => terminal.text();
      return () => {
        detach();
        delete window.__prnrTerminalText;
      };
    },
    [machine],
  );
  const onData = useCallback((data: string) => machine.type(data), [machine]);

  return (
    <section className="page live-page" data-testid="live-page">
      <header className="page-header">
        <h1>Live machine</h1>
        <EngineStatus />
      </header>
      <LiveStatus snapshot={snapshot} onRestart={() => machine.restart()} />
      <RecordControls machine={machine} snapshot={snapshot} />
      <Terminal testId="live-terminal" attach={attach} onData={onData} />
    </section>
  );
}
