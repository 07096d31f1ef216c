// One recording, /r/<id> (docs/design.md 8): the timeline on top, the panels
// at the playhead below (console, registers, memory, disassembly), Verify;
// Analyze, and what the analyses found: the syscalls and processes views and
// the timeline's tracks (../analysis/analysis-tracks.ts).
// The URL holds the view: ?t= follows the playhead (replace-state, so a
// copied link reopens the same moment), ?view= the focused panel,
// ?addr=&space= the memory panel's address, ?pid= the process every view
// shows, ?q=&call=&cat=&failed= the syscalls filter, ?src= where a
// recording this browser does not keep is fetched from.
import { memo, useCallback, useEffect, useMemo, useRef, type ReactNode } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { errorMessage } from '../../../shared/errors';
import { paths, parseRecordingLocation, recordingPath, type AddressSpace, type RecordingLocation, type RecordingView } from '../../app/share-state';
import { processesOf, runOf, syscallsOf } from '../analysis/analysis-data';
import { useAnalysisTracks } from '../analysis/useAnalysisTracks';
import { AnalyzePanel } from '../analysis/AnalyzePanel';
import { useAnalyses } from '../analysis/useAnalyses';
import { ConsolePanel } from '../console/ConsolePanel';
import { NotesPanel } from '../notes/NotesPanel';
import { useNotesTrack } from '../notes/queries';
import { ProcessesPanel } from '../processes/ProcessesPanel';
import type { SyscallFilter } from '../syscalls/filter';
import { SyscallsPanel } from '../syscalls/SyscallsPanel';
import { ShareButton } from '../share/ShareButton';
import { tickForKey } from '../timeline/keys';
import { Timeline } from '../timeline/Timeline';
import { VerifyControls } from '../verify/VerifyControls';
import { useVerify } from '../verify/useVerify';
import { useOpenRecording, type OpenedRecording } from './queries';
import { MachinePanels } from './MachinePanels';
import { AtPlayhead, type Playhead } from './playhead';
import { useUrlPlayhead } from './url-playhead';
import './recording.css';

// Panels re-render only when their own props change; those at the playhead under an AtPlayhead, so a seek re-renders them and not the page.
const Console = memo(ConsolePanel);
const TimelineAt = memo(Timeline);
const Share = memo(ShareButton);
const Notes = memo(NotesPanel);
const Syscalls = memo(SyscallsPanel);
const Processes = memo(ProcessesPanel);
const Analyze = memo(AnalyzePanel);

/** The views this page has a panel for, in tab order. */
const PANEL_VIEWS: readonly RecordingView[] = ['console', 'registers', 'memory', 'disassembly', 'syscalls', 'processes'];

function LinkError({ message }: { message: string }) {
  return (
    <section className="page">
      <div className="panel error" role="alert" data-testid="link-error">
        <h1>This link does not point anywhere</h1>
        <p>{message}</p>
        <Link to={paths.library}>Back to the recordings</Link>
      </div>
    </section>
  );
}

export function RecordingPage() {
  const { recordingId } = useParams();
  const [search] = useSearchParams();
  const parsed = parseRecordingLocation(recordingId, search);
  if (!parsed.ok) return <LinkError message={parsed.error} />;
  return <OpenRecording location={parsed.location} />;
}

function OpenRecording({ location }: { location: RecordingLocation }) {
  const opened = useOpenRecording({ recordingId: location.recordingId, src: location.src });
  if (opened.isError) {
    return (
      <section className="page">
        <div className="panel error" role="alert" data-testid="recording-error">
          <h1>This recording cannot be opened</h1>
          <p data-testid="recording-error-message">{errorMessage(opened.error)}</p>
          <Link to={paths.library}>Back to the recordings</Link>
        </div>
      </section>
    );
  }
  if (!opened.data) {
    return (
      <section className="page recording-loading" data-testid="recording-loading">
        <div className="panel">
          <span className="spinner" aria-hidden /> Opening recording <code>{location.recordingId.slice(0, 16)}…</code>
        </div>
      </section>
    );
  }
  return <RecordingView key={opened.data.info.id} location={location} opened={opened.data} />;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || target.closest('.monaco-editor') !== null;
}

function RecordingView({ location, opened }: { location: RecordingLocation; opened: OpenedRecording }) {
  const { info, outputTicks } = opened;
  const navigate = useNavigate();
  const { id, endTick, snapshotTicks, header } = info;
  const urlTick = location.tick === undefined ? 0n : location.tick > endTick ? endTick : location.tick;
  // The latest location, for callbacks that must not change with it.
  const current = useRef(location);
  current.current = location;
  const playhead = useRef<Playhead | null>(null);
  const go = useCallback((change: Partial<RecordingLocation>) => navigate(recordingPath({ ...current.current, tick: playhead.current?.get(), ...change }), { replace: true }), [navigate]);
  const writeTick = useCallback((t: bigint) => go({ tick: t }), [go]);
  playhead.current = useUrlPlayhead(urlTick, writeTick);
  const { set: seekTo, get: tickNow } = playhead.current;

  const analyses = useAnalyses(id, snapshotTicks.length - 1);
  const syscallsRun = runOf(analyses.state, 'syscalls');
  const processesRun = runOf(analyses.state, 'processes');
  const calls = useMemo(() => syscallsOf(syscallsRun), [syscallsRun]);
  const processData = useMemo(() => processesOf(processesRun), [processesRun]);
  const pid = location.pid;
  const analysisTracks = useAnalysisTracks(analyses.state, calls.calls, processData, snapshotTicks, pid);
  const syscallTicks = useMemo(() => (calls.calls.length ? calls.calls.map((c) => c.tick) : undefined), [calls]);
  const marks = useMemo(() => ({ endTick, snapshotTicks, outputTicks, syscallTicks }), [endTick, snapshotTicks, outputTicks, syscallTicks]);
  const filter = useMemo((): SyscallFilter => ({ pid, q: location.q, call: location.call, cat: location.cat, failed: location.failed }), [pid, location.q, location.call, location.cat, location.failed]);
  const onFilter = useCallback((f: SyscallFilter) => go({ pid: f.pid, q: f.q, call: f.call, cat: f.cat, failed: f.failed }), [go]);
  const onPid = useCallback((p: number | undefined) => go({ pid: p }), [go]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
      const next = tickForKey(event.key, event.shiftKey, tickNow(), marks);
      if (next === undefined) return;
      event.preventDefault();
      seekTo(next);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [tickNow, marks, seekTo]);

  const { run, state: verify } = useVerify(id, snapshotTicks.length - 1);
  const focused = location.view;
  const slot = useCallback((view: RecordingView, panel: ReactNode) => <div className={`panel-slot slot-${view}${focused === view ? ' focused' : ''}`}>{panel}</div>, [focused]);
  const notesTrack = useNotesTrack(id);
  const tracks = useMemo(() => [notesTrack, ...analysisTracks], [notesTrack, analysisTracks]);
  const onMemory = useCallback((addr: bigint | undefined, space: AddressSpace) => go({ addr, space: addr === undefined ? undefined : space, view: 'memory' }), [go]);
  const p = playhead.current;

  return (
    <section className="page recording-page" data-testid="recording-page">
      <header className="page-header recording-header">
        <div className="recording-title">
          <h1 data-testid="recording-title">{opened.title ?? (header.session.commands.length ? header.session.commands.join(' · ') : 'Recording')}</h1>
          {opened.about && (
            <p className="recording-about muted" data-testid="recording-about">
              {opened.about.join(' ')}
            </p>
          )}
          <div className="recording-meta muted">
            <code data-testid="recording-id" title={id}>
              {id}
            </code>
            {opened.title && header.session.commands.length > 0 && <span title="The commands the session typed">{header.session.commands.join(' · ')}</span>}
            <span>image {header.image.name}</span>
            <span>{snapshotTicks.length - 1} slices of {Number(header.sliceTicks).toLocaleString()} ticks</span>
            <span className={info.complete ? 'badge' : 'badge badge-warn'}>{info.complete ? 'complete' : 'recovered'}</span>
          </div>
        </div>
        <VerifyControls id={id} run={run} state={verify} />
        <AtPlayhead playhead={p}>{(tick) => <Share location={location} tick={tick} />}</AtPlayhead>
      </header>
      <AtPlayhead playhead={p}>{(tick) => <TimelineAt endTick={endTick} snapshotTicks={snapshotTicks} outputTicks={outputTicks} tick={tick} slices={verify.slices} tracks={tracks} onSeek={seekTo} />}</AtPlayhead>
      <Analyze run={analyses.run} state={analyses.state} onSeek={seekTo} />
      <nav className="tabs" aria-label="Views">
        {PANEL_VIEWS.map((view) => (
          // The link names the URL's tick (a seek does not re-render the tabs); a click goes there at the playhead's.
          <Link key={view} to={recordingPath({ ...location, view })} replace onClick={(event) => {
              event.preventDefault();
              go({ view });
            }} className={view === focused ? 'tab active' : 'tab'} data-testid={`view-tab-${view}`}>
            {view}
          </Link>
        ))}
        <span className="keys-help muted">← → tick · Shift+← → console write{syscallTicks ? ' or syscall' : ''} · PgUp PgDn slice · Home End · wheel zooms</span>
      </nav>
      <div className="panels" data-testid="recording-view" data-view={focused}>
        {slot('console', <AtPlayhead playhead={p}>{(tick) => <Console id={id} tick={tick} />}</AtPlayhead>)}
        <MachinePanels id={id} image={header.image.name} playhead={p} addr={location.addr} space={location.space ?? 'virt'} onMemory={onMemory} onSeek={seekTo} slot={slot} />
        {slot('syscalls', <AtPlayhead playhead={p}>{(tick) => <Syscalls calls={calls.calls} complete={calls.complete} analysed={syscallsRun !== undefined} filter={filter} tick={tick} onFilter={onFilter} onSeek={seekTo} />}</AtPlayhead>)}
        {slot('processes', <Processes processes={processData?.processes} pending={processesRun?.state === 'running'} pid={pid} onSelect={onPid} onSeek={seekTo} />)}
        <div className="panel-slot slot-notes">
          <AtPlayhead playhead={p}>{(tick) => <Notes id={id} tick={tick} onSeek={seekTo} />}</AtPlayhead>
        </div>
      </div>
    </section>
  );
}
