// Disassembly around pc at the playhead (src/analysis/code-listing.ts over the
// RV64GC disassembler, objdump's text), with the image's System.map symbols,
// in a read-only Monaco editor that loads on its own (lazily, after the first
// frame); it follows a seek a frame after the registers. The instruction at pc
// is named above the editor; `data-tick` names the tick once both show it.
import { lazy, Suspense, useMemo, useRef, useState } from 'react';
import { kernelSymbolizer, listing, type Listing } from '../../../analysis/code-listing';
import { errorMessage } from '../../../shared/errors';
import { hex64 } from '../../../shared/hexdump';
import { useCodeAt, useSystemMap } from './queries';
import { useLooksStale } from '../recording/stale';
import { useAfterPaint } from '../recording/after-paint';
import { listingWindow } from './window';
import './disassembly.css';

const CodeView = lazy(() => import('./CodeView'));

export interface DisassemblyPanelProps {
  id: string;
  tick: bigint;
  image: string;
  pc: bigint | undefined;
}

interface Shown {
  tick: bigint;
  pc: bigint;
  list: Listing;
  text: string;
  pcLine: number;
}

export function DisassemblyPanel({ id, tick, image, pc }: DisassemblyPanelProps) {
  const code = useCodeAt(id, tick, pc);
  const symbols = useSystemMap(image);
  const table = symbols.data;
  // Listed a frame after the answer comes (../recording/after-paint.ts): the registers it follows paint first.
  const asked = useMemo(() => ({ data: code.data, pc, tick }), [code.data, pc, tick]);
  const { data, pc: listedPc, tick: listedTick } = useAfterPaint(asked);
  const current = useMemo((): Shown | undefined => {
    if (!data || listedPc === undefined || data.tick !== listedTick || data.addr !== listingWindow(listedPc).base) return undefined;
    const list = listing(data.bytes, data.addr, listedPc, table && kernelSymbolizer(table));
    return { tick: listedTick, pc: listedPc, list, text: list.lines.map((l) => l.text).join('\n'), pcLine: list.lines.findIndex((l) => l.atPc) + 1 };
  }, [data, listedPc, listedTick, table]);
  // The listing shown until the next one is in (a seek's code is read after its registers), greyed meanwhile.
  const last = useRef<Shown | undefined>(undefined);
  if (current) last.current = current;
  const shown = current ?? last.current;
  // What the editor shows (null until Monaco has loaded: the fallback shows the listing at once).
  const [editorText, setEditorText] = useState<string | null>(null);
  const painted = current !== undefined && current.tick === tick && (editorText === null || editorText === current.text);
  const atPc = shown?.list.atPc;
  const stale = useLooksStale(current?.tick !== tick);
  const symbol = atPc && table?.lookup(atPc.address);

  return (
    <section className="panel-box disassembly-panel" aria-label="Disassembly" data-testid="disassembly" data-tick={painted ? tick.toString() : undefined} data-pc={shown?.pc.toString(16)}>
      <header className="panel-title">
        <h2>Disassembly</h2>
        <span className="muted">{symbols.isError ? `no symbols: ${errorMessage(symbols.error)}` : table ? `kernel symbols from ${image}'s System.map` : 'loading symbols…'}</span>
      </header>
      <div className={stale ? 'disasm-current stale' : 'disasm-current'} data-testid="disasm-current">
        {shown && atPc ? (
          <>
            <code className="disasm-pc">{hex64(shown.pc)}</code>
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
      <Suspense fallback={<pre className="disasm-fallback">{shown?.text}</pre>}>
        <CodeView text={shown?.text ?? ''} highlightLine={shown?.pcLine ?? 0} onShown={setEditorText} />
      </Suspense>
    </section>
  );
}
