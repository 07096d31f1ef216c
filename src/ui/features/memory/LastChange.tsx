// "Where did this value come from" (issue 12): the last change of a selected
// value at or before the playhead, then the change before that, and so on,
// each one a step back through the recording with the playhead on it. The
// memory panel searches writes to the selected bytes (./last-write.ts), the
// registers panel a register's changes within the current slice. The search
// is the engine's (EngineApi.lastWrite, lastRegisterChange); this is what the
// analyst sees of it.
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../../shared/errors';
import { hex64 } from '../../../shared/hexdump';
import './last-change.css';

export interface FoundChange {
  /** The tick the changing instruction ended at: the value is new from here on. */
  tick: bigint;
  /** Ask again at this tick for the change before this one. */
  before: bigint;
  pc: bigint;
  /** pc named (a kernel function + offset), if known. */
  place?: string;
  /** Who changed it: the task and mode ("pid 31 tid 31 diverge, user"). */
  who: string;
  /** How ("a store of 8 bytes at +0"), if known. */
  how?: string;
  old: string;
  new: string;
  /** The physical address of a memory value (searched again there for the change before). */
  paddr?: bigint;
}

export type SearchAnswer = { found: FoundChange } | { message: string };

/** Searches at or before `tick`; `previous` is the change found last when asking for the one before it. */
export type ChangeSearch = (tick: bigint, previous: FoundChange | undefined, onProgress: (text: string) => void) => Promise<SearchAnswer>;

export interface LastChangeProps {
  /** What is searched, for titles ("0x…, 8 bytes", "a0"); undefined: nothing selected. */
  subject: string | undefined;
  /** Changes when the selection does: the chain found so far is dropped. */
  subjectKey: string | undefined;
  search: ChangeSearch;
  /** The tick whose value is shown. */
  tick: bigint;
  onSeek(tick: bigint): void;
  /** The data-testids' stem: the memory panel's are the issue's (last-write-button, last-write-result, ...); another panel's must differ, so each is found alone on the page. */
  testIds?: string;
}

interface Found {
  change: FoundChange;
  ms: number;
}

export function LastChange({ subject, subjectKey, search, tick, onSeek, testIds = 'last-write' }: LastChangeProps) {
  const [chain, setChain] = useState<Found[]>([]);
  const [progress, setProgress] = useState<string | undefined>();
  const [none, setNone] = useState<string | undefined>();
  const generation = useRef(0);
  const searcher = useMutation({
    mutationFn: async ({ from, previous }: { from: bigint; previous?: FoundChange; generation: number }) => {
      const started = performance.now();
      const answer = await search(from, previous, setProgress);
      return { answer, ms: performance.now() - started };
    },
    onSuccess: ({ answer, ms }, asked) => {
      if (asked.generation !== generation.current) return;
      setProgress(undefined);
      if ('message' in answer) {
        setNone(answer.message);
        return;
      }
      setNone(undefined);
      setChain((c) => [{ change: answer.found, ms }, ...(asked.previous ? c : [])]);
      onSeek(answer.found.tick);
    },
    onError: () => setProgress(undefined),
  });
  const { reset } = searcher;
  useEffect(() => {
    generation.current++;
    setChain([]);
    setNone(undefined);
    reset();
  }, [subjectKey, reset]);

  const current = chain[0];
  const busy = searcher.isPending;
  const ask = (from: bigint, previous?: FoundChange) => searcher.mutate({ from, previous, generation: generation.current });

  return (
    <div className="last-change" data-testid={`${testIds}-search`}>
      <div className="last-change-actions">
        <button type="button" className="text-button" disabled={subject === undefined || busy} onClick={() => ask(tick)} data-testid={`${testIds}-button`} title={subject === undefined ? 'Select a value first' : `The last change of ${subject} at or before tick ${tick}`}>
          Where did this value come from?
        </button>
        {current && (
          <button type="button" className="text-button" disabled={busy || current.change.tick === 0n} onClick={() => ask(current.change.before, current.change)} data-testid={`${testIds}-earlier`}>
            The change before that
          </button>
        )}
        {busy && (
          <span className="muted" data-testid={`${testIds}-searching`}>
            <span className="spinner" aria-hidden /> {progress ?? 'searching back…'}
          </span>
        )}
      </div>
      {searcher.isError && (
        <p className="panel-error" role="alert" data-testid={`${testIds}-error`}>
          {errorMessage(searcher.error)}
        </p>
      )}
      {!busy && none && (
        <p className="muted" data-testid={`${testIds}-none`}>
          {none}
        </p>
      )}
      {chain.length > 0 && (
        <ol className="last-change-list">
          {chain.map(({ change, ms }, i) => (
            <li key={change.tick.toString()} className={i === 0 ? 'last-change-item current' : 'last-change-item'} data-testid={i === 0 ? `${testIds}-result` : `${testIds}-earlier-result`} data-tick={change.tick.toString()} data-pc={change.pc.toString(16)} data-paddr={change.paddr?.toString(16)} data-ms={Math.round(ms)}>
              <button type="button" className="last-change-tick" onClick={() => onSeek(change.tick)} title="Move the playhead here">
                tick <code>{change.tick.toString()}</code>
              </button>
              <span>
                pc <code data-testid={`${testIds}-pc`}>{hex64(change.pc)}</code>
                {change.place && <span className="muted"> {change.place}</span>}
              </span>
              <span data-testid={`${testIds}-task`}>{change.who}</span>
              <span>
                <code data-testid={`${testIds}-old`}>{change.old}</code> → <code data-testid={`${testIds}-new`}>{change.new}</code>
              </span>
              {change.how && <span className="muted">{change.how}</span>}
              <span className="muted">{(ms / 1000).toFixed(2)} s</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
