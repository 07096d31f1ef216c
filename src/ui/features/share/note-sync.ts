// Notes that reach every viewer of a shared recording (docs/design.md 6).
// While a page of a recording the page's server keeps is open and visible,
// a note added here is sent at once, and every POLL_MS the server's notes
// added since the last one seen (GET .../notes?since=<id>) join this
// browser's, so colleagues' notes appear on the timeline without a reload.
// A note the server has not confirmed stays in this browser, marked unsent,
// and is sent again on each round (backing off to MAX_BACKOFF_MS while the
// server does not answer): nothing is lost. Under a server without the API
// (vite, static hosting) nothing is asked. Framework-free: a store per
// recording with subscribe/getSnapshot; the rounds run from the first
// subscriber to the last (STYLE.md), and pause while the page is hidden.
import { errorMessage } from '../../../shared/errors';
import { addNote, listNotes, markSent, onNotesChanged } from '../notes/note-store';
import { isUnreachable, postNote, serverNotes, sharedState } from './server';
import { noteKey } from './sync';

/** How often an open, visible page asks for colleagues' new notes. */
export const POLL_MS = 2000;
/** How often it asks again whether the server keeps a recording it did not. */
const NOT_SHARED_MS = 15_000;
/** The longest wait between tries while the server does not answer. */
export const MAX_BACKOFF_MS = 16_000;

export interface NoteSyncState {
  /** 'shared': the page's server keeps the recording, notes go both ways; 'local': it does not (yet); 'no-server': the page's server is not prnr serve. */
  phase: 'checking' | 'shared' | 'local' | 'no-server';
  /** Why the last round failed (the server did not answer, or refused), if it did. */
  problem?: string;
  /** Notes from the server brought into this browser so far. */
  pulled: number;
}

type Listener = () => void;

class NoteSync {
  private state: NoteSyncState = { phase: 'checking', pulled: 0 };
  private readonly listeners = new Set<Listener>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The server's id of the newest note seen there. */
  private lastSeen = 0;
  private delay = POLL_MS;
  /** Rounds and pushes run one at a time. */
  private queue: Promise<void> = Promise.resolve();
  private stopWatching: (() => void) | undefined;

  constructor(private readonly id: string) {}

  getSnapshot = (): NoteSyncState => this.state;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  };

  /** Asks the server again now (after a Share, say). */
  refresh(): void {
    if (this.listeners.size > 0) this.schedule(0);
  }

  private start(): void {
    const offNotes = onNotesChanged((recording) => {
      // A note added in this browser goes out at once; a change this store made itself finds nothing unsent.
      if (recording !== this.id || this.state.phase !== 'shared') return;
      // Not answered: the next round tries again, sooner than its backoff would.
      this.serial(() => this.push()).catch(() => this.schedule(POLL_MS));
    });
    const onVisibility = () => (document.visibilityState === 'visible' ? this.schedule(0) : this.clearTimer());
    document.addEventListener('visibilitychange', onVisibility);
    this.stopWatching = () => {
      offNotes();
      document.removeEventListener('visibilitychange', onVisibility);
    };
    this.schedule(0);
  }

  private stop(): void {
    this.stopWatching?.();
    this.stopWatching = undefined;
    this.clearTimer();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(ms: number): void {
    this.clearTimer();
    if (this.listeners.size === 0 || this.state.phase === 'no-server' || document.visibilityState === 'hidden') return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.serial(() => this.round());
    }, ms);
  }

  private serial(step: () => Promise<void>): Promise<void> {
    const run = this.queue.then(step);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private set(next: Partial<NoteSyncState>): void {
    this.state = { ...this.state, ...next };
    for (const l of this.listeners) l();
  }

  /** One round: is the recording shared; the server's new notes in; this browser's unsent notes out. */
  private async round(): Promise<void> {
    try {
      if (this.state.phase !== 'shared') {
        const kept = await sharedState(this.id);
        if (kept !== 'kept') {
          this.set({ phase: kept === 'no-api' ? 'no-server' : 'local', problem: undefined });
          return this.schedule(NOT_SHARED_MS);
        }
        this.set({ phase: 'shared' });
      }
      await this.pull();
      // The server answers again: what it refuses, push says.
      if (this.state.problem !== undefined) this.set({ problem: undefined });
      await this.push();
      this.delay = POLL_MS;
    } catch (err) {
      this.delay = Math.min(MAX_BACKOFF_MS, this.delay * 2);
      this.set({ problem: isUnreachable(err) ? 'the server does not answer; they are kept in this browser and sent when it does' : errorMessage(err) });
    }
    this.schedule(this.delay);
  }

  private async pull(): Promise<void> {
    const fresh = await serverNotes(this.id, this.lastSeen);
    if (fresh.length === 0) return;
    const local = new Map((await listNotes(this.id)).map((n) => [noteKey(n), n]));
    let pulled = 0;
    for (const note of fresh) {
      this.lastSeen = Math.max(this.lastSeen, note.id);
      const mine = local.get(noteKey(note));
      if (mine) {
        if (mine.serverId === undefined) await markSent(this.id, mine.id, note.id);
        continue;
      }
      local.set(noteKey(note), await addNote(this.id, note, { serverId: note.id, created: note.created }));
      pulled++;
    }
    if (pulled > 0) this.set({ pulled: this.state.pulled + pulled });
  }

  /**
   * Sends the notes the server does not have yet. While it does not answer, this throws (the round backs off and
   * tries again); a note it refuses (say, one the server finds malformed) stays unsent here, said once, and the others go on.
   */
  private async push(): Promise<void> {
    for (const note of await listNotes(this.id)) {
      if (note.serverId !== undefined) continue;
      try {
        await markSent(this.id, note.id, (await postNote(this.id, note)).id);
      } catch (err) {
        if (isUnreachable(err)) throw err;
        this.set({ problem: `the server did not take the note at tick ${note.tick}: ${errorMessage(err)}` });
      }
    }
  }
}

const syncs = new Map<string, NoteSync>();

/** The note sync of recording `id` (one per recording and page). */
export function noteSync(id: string): NoteSync {
  let sync = syncs.get(id);
  if (!sync) syncs.set(id, (sync = new NoteSync(id)));
  return sync;
}
