// The analyses the page's prnr server holds of a recording (docs/design.md
// 6): `prnr serve` serves the app and its API from one origin, so the page
// asks window.location.origin. A page without that API (vite) has no server:
// the listing is undefined, as for a recording the server does not keep.
// Whether it keeps it is asked first as the share feature asks it (not a
// 404), so a page of an unshared recording requests nothing that fails.
import { PrnrError } from '../../../shared/errors';
import { analysesPath, type SharedAnalysis } from '../../../shared/server-api';
import { sharedRecording } from '../share/server';
import type { AnalysisServer } from './analysis-run';

/** What the page's server holds of `recording`, undefined when it does not keep it or there is no prnr server; throws when it refuses. */
async function listShared(recording: string): Promise<SharedAnalysis[] | undefined> {
  if (!(await sharedRecording(recording))) return undefined;
  let response: Response;
  try {
    response = await fetch(new URL(analysesPath(recording), window.location.origin));
  } catch {
    return undefined;
  }
  // Without the API the page's own server answers HTML (the app) or nothing.
  if (!(response.headers.get('content-type') ?? '').includes('application/json')) return undefined;
  if (response.status === 404) return undefined;
  const body = (await response.json()) as SharedAnalysis[] | { error?: string };
  if (!response.ok || !Array.isArray(body)) throw new PrnrError('SERVER_REFUSED', (body as { error?: string }).error ?? `the server answered ${response.status}`);
  return body;
}

export const pageServer = (): AnalysisServer => ({ origin: window.location.origin, list: listShared });
