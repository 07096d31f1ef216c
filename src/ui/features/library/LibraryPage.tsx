// The library (docs/design.md 8): the demo recordings that ship with the app,
// the recordings made in this browser (and those recovered after a tab closed
// mid-recording), files the user opened, by the file picker or by dropping a
// .prnr file anywhere on the page, one card per recording id; and, under
// prnr serve, the server's recordings (./ServerSection.tsx).
import { useState, type DragEvent, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { paths } from '../../app/share-state';
import { errorMessage } from '../../../shared/errors';
import type { LibraryItem } from './library';
import { filesOfDrop } from './open-analyses';
import { RecordingCard } from './RecordingCard';
import { ServerSection } from './ServerSection';
import { useLibrary, useOpenRecordingFiles, type OpenedFile } from './queries';
import './library.css';

function hasFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer.types).includes('Files');
}

function Section({ title, testId, items, highlight, empty }: { title: string; testId: string; items: LibraryItem[]; highlight?: string; empty?: ReactNode }) {
  return (
    <section className="library-section" data-testid={testId}>
      <h2>
        {title} <span className="count">{items.length}</span>
      </h2>
      {items.length > 0 ? (
        <div className="card-grid">
          {items.map((item) => (
            <RecordingCard key={item.id} item={item} highlighted={item.id === highlight} />
          ))}
        </div>
      ) : (
        empty
      )}
    </section>
  );
}

function OpenResults({ results }: { results: OpenedFile[] }) {
  const failed = results.filter((r): r is Extract<OpenedFile, { error: string }> => 'error' in r);
  const opened = results.filter((r): r is Extract<OpenedFile, { entry: unknown }> => 'entry' in r);
  const analyses = results.filter((r): r is Extract<OpenedFile, { analysis: unknown }> => 'analysis' in r);
  return (
    <>
      {failed.length > 0 && (
        <div className="panel error library-message" role="alert" data-testid="library-error">
          {failed.map((r) => (
            <p key={r.name}>
              <strong>{r.name}</strong> does not open: {r.error}
            </p>
          ))}
        </div>
      )}
      {analyses.length > 0 && (
        <div className="panel library-message" role="status" data-testid="library-analyses-notice">
          {analyses.map((r, i) => (
            <p key={i}>
              Opened <strong>{r.name}</strong>: “{r.analysis.title}” opens with its {r.analysis.label} analysis done.
            </p>
          ))}
        </div>
      )}
      {opened.length > 0 && (
        <div className="panel library-message" role="status" data-testid="library-notice">
          {opened.map((r) => (
            <p key={r.name}>
              {r.added ? (
                <>
                  Opened <strong>{r.name}</strong>: it is kept in this browser now.
                </>
              ) : (
                <>
                  <strong>{r.name}</strong> is already in the library, as “{r.entry.title}”.
                </>
              )}
            </p>
          ))}
        </div>
      )}
    </>
  );
}

export function LibraryPage() {
  const library = useLibrary();
  const opener = useOpenRecordingFiles();
  const [dragging, setDragging] = useState(false);
  const open = (files: FileList | null) => {
    if (files && files.length > 0) opener.mutate(Array.from(files));
  };
  const lastOpened = opener.data?.find((r) => 'entry' in r);
  const highlight = lastOpened && 'entry' in lastOpened ? lastOpened.entry.id : undefined;
  const data = library.data;
  const demoIds = new Set(data?.demos.map((d) => d.id));
  // A demo opened as a file is listed as the demo.
  const highlightDemo = highlight && demoIds.has(highlight) ? highlight : undefined;

  return (
    <section
      className={`page library-page${dragging ? ' dragging' : ''}`}
      data-testid="library-page"
      onDragOver={(event) => {
        if (!hasFiles(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        setDragging(true);
      }}
      onDragLeave={(event) => {
        if (event.currentTarget === event.target || !event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={(event) => {
        if (!hasFiles(event)) return;
        event.preventDefault();
        setDragging(false);
        // A dropped FILE.analysis/ folder gives its results (./open-analyses.ts).
        void filesOfDrop(event.dataTransfer).then((files) => opener.mutate(files));
      }}
    >
      <header className="page-header">
        <div>
          <h1>Recordings</h1>
          <p className="subtitle">Open one to scrub through it, instruction by instruction, and verify every slice.</p>
        </div>
        <div className="header-actions">
          <label className="button file-button">
            {opener.isPending ? 'Opening…' : 'Open a .prnr file'}
            <input
              type="file"
              accept=".prnr,.partial,.json"
              multiple
              data-testid="open-recording-file"
              onChange={(event) => {
                open(event.currentTarget.files);
                event.currentTarget.value = '';
              }}
            />
          </label>
          <Link className="button secondary" to={paths.live} data-testid="record-live">
            Record on the live machine
          </Link>
        </div>
      </header>
      <p className="drop-hint" aria-hidden>
        or drop a <code>.prnr</code> file anywhere on this page, with the <code>.prnr.analysis</code> folder <code>prnr analyze</code> wrote beside it to open it analysed
      </p>

      {opener.data && <OpenResults results={opener.data} />}
      {opener.error && (
        <div className="panel error library-message" role="alert" data-testid="library-error">
          {errorMessage(opener.error)}
        </div>
      )}

      {library.isPending && (
        <p className="muted" data-testid="library-loading">
          Loading recordings…
        </p>
      )}
      {library.isError && (
        <div className="panel error" role="alert" data-testid="library-error">
          The library could not be read: {errorMessage(library.error)}
        </div>
      )}
      {data && (
        <>
          {data.storageError && (
            <div className="panel error" role="alert" data-testid="library-error">
              This browser cannot keep recordings: {data.storageError}
            </div>
          )}
          {data.problems.length > 0 && (
            <div className="panel error" role="alert" data-testid="recovery-problem">
              {data.problems.map((p) => (
                <p key={p.file}>
                  An interrupted recording, <code>{p.file}</code>, could not be recovered: {p.message}
                </p>
              ))}
            </div>
          )}
          <Section
            title="Demo recordings"
            testId="library-demos"
            items={data.demos}
            highlight={highlightDemo}
            empty={
              <div className="panel empty" data-testid="demos-missing">
                <p>{data.demosError ?? 'No demo recordings in this build.'}</p>
              </div>
            }
          />
          <Section
            title="Made in this browser"
            testId="library-made"
            items={data.made}
            highlight={highlight}
            empty={
              <div className="panel empty" data-testid="library-empty">
                <p>No recordings yet made in this browser. Boot the live machine, press Record, type a few commands and press Stop: the recording appears here.</p>
                <Link className="button" to={paths.live} data-testid="start-live">
                  Start a live machine
                </Link>
              </div>
            }
          />
          {data.opened.length > 0 && <Section title="Opened files" testId="library-opened" items={data.opened} highlight={highlight} />}
        </>
      )}
      <ServerSection />
      {dragging && (
        <div className="drop-overlay" data-testid="drop-overlay">
          Drop a .prnr file to open it
        </div>
      )}
    </section>
  );
}
