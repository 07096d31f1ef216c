// Disassembly around pc at the playhead (src/analysis/code-listing.ts over the
// RV64GC disassembler, objdump's text), with the image's System.map symbols,
// in a read-only Monaco editor that loads on its own (lazily, after the first
// frame). The instruction at pc is named above the editor.
import { lazy, Suspense, useMemo } from 'react';
import { kernelSymbolizer, listing } from '../../../analysis/code-listing';
import { errorMessage } from '../../../shared/errors';
import { hex64 } from '../../../shared/hexdump';
import { useCodeAt, useSystemMap } from './queries';
import './disassembly.css';

const CodeView = lazy(() => import('./CodeView'));

export interface DisassemblyPanelProps {
  id: string;
  tick: bigint;
  image: string;
  pc: bigint | undefined;
}

export function DisassemblyPanel({ id, tick, image, pc }: DisassemblyPanelProps) {
  const code = useCodeAt(id, tick, pc);
  const symbols = useSystemMap(image);
  const table = symbols.data;
  const data = code.data;
  const list = useMemo(() => (data && pc !== undefined && data.tick === tick ? listing(data.bytes, data.addr, pc, table && kernelSymbolizer(table)) : undefined), [data, pc, tick, table]);
  const atPc = list?.atPc;
  const symbol = atPc && table?.lookup(atPc.address);
  const pcLine = list ? list.lines.findIndex((l) => l.atPc) + 1 : 0;

  return (
    <section className="panel-box disassembly-panel" aria-label="Disassembly" data-testid="disassembly" data-tick={list ? tick.toString() : undefined} data-pc={pc?.toString(16)}>
      <header className="panel-title">
        <h2>Disassembly</h2>
        <span className="muted">{symbols.isError ? `no symbols: ${errorMessage(symbols.error)}` : table ? `kernel symbols from ${image}'s System.map` : 'loading symbols…'}</span>
      </header>
      <div className="disasm-current" data-testid="disasm-current">
        {atPc ? (
          <>
            <code className="disasm-pc">{pc !== undefined ? hex64(pc) : ''}</code>
            {symbol && <code className="disasm-symbol">&lt;{symbol.offset ? `${symbol.name}+0x${symbol.offset.toString(16)}` : symbol.name}&gt;</code>}
            <code className="disasm-text">{atPc.text.replace('\t', ' ')}</code>
          </>
        ) : (
          <span className="muted">{code.isError ? '' : 'reading the code at pc…'}</span>
        )}
      </div>
      {code.isError && (
        <p className="panel-error" role="alert">
          {errorMessage(code.error)}
        </p>
      )}
      <Suspense fallback={<pre className="disasm-fallback">{list?.lines.map((l) => l.text).join('\n')}</pre>}>
        <CodeView text={list?.lines.map((l) => l.text).join('\n') ?? ''} highlightLine={pcLine} />
      </Suspense>
    </section>
  );
}
