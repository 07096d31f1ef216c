// A recording analysed on the command line opens analysed (issue 12): the
// results `prnr analyze FILE` wrote beside it (FILE.analysis/<label>.json,
// each a dimension's merged result with its provenance) are opened in the
// library with or after the recording, checked, and kept in this browser's
// analysis store (../analysis/saved-analyses.ts), which the recording page
// reads when it opens. A result is taken only when this app would compute
// the very same one: the recording is in the library, the analysis covers
// every slice, and it was made by this version of the dimension and of the
// syscall decoder (the provenance's version and code). The browser's side
// (the store, dropped folders) is ./open-analyses.ts.
import { decodeAnalysisJson, type DimensionDescription, type DimensionRequest, type Provenance } from '../../../shared/analysis';
import { errorMessage, PrnrError } from '../../../shared/errors';

export interface KnownRecording {
  title: string;
  slices: number;
}

export interface ImportedAnalysis {
  recording: string;
  title: string;
  label: string;
  dimension: string;
}

/** An analysis as the browser's store keeps it (../analysis/saved-analyses.ts SavedAnalysis, which has this shape). */
export interface KeptAnalysis {
  recording: string;
  label: string;
  description: DimensionDescription;
  result: unknown;
  elapsedMs: number;
  saved: number;
}

export interface AnalysisImportDeps {
  /** The library's recording of that id, if it has one. */
  recording(id: string): KnownRecording | undefined;
  describe(request: DimensionRequest): DimensionDescription;
  /** Keeps it (../analysis/saved-analyses.ts saveAnalysis in the browser). */
  save(entry: KeptAnalysis): Promise<void>;
  now(): number;
}

/** Whether a file opened in the library is an analysis result (FILE.analysis/<label>.json) rather than a recording. */
export const isAnalysisFile = (name: string) => name.endsWith('.json');

function fail(name: string, message: string): never {
  throw new PrnrError('ANALYSIS_FILE', `${name}: ${message}`);
}

function provenanceOf(name: string, value: unknown): { provenance: Provenance; result: unknown } {
  const v = value as { provenance?: Partial<Provenance>; result?: unknown } | null;
  const p = v?.provenance;
  if (!p || typeof p.recording !== 'string' || typeof p.analysis !== 'string' || typeof p.version !== 'number' || typeof p.code !== 'string' || typeof p.params !== 'object' || p.params === null || !Array.isArray(p.slices) || v.result === undefined) {
    fail(name, 'not a result prnr analyze wrote (no provenance and result)');
  }
  return { provenance: p as Provenance, result: v.result };
}

/** Checks one result file's text and keeps it; resolves to what it was. */
export async function importAnalysis(name: string, text: string, deps: AnalysisImportDeps): Promise<ImportedAnalysis> {
  let value: unknown;
  try {
    value = decodeAnalysisJson(text);
  } catch (err) {
    fail(name, `not JSON (${errorMessage(err)})`);
  }
  const { provenance: p, result } = provenanceOf(name, value);
  const known = deps.recording(p.recording);
  if (!known) fail(name, `the results of recording ${p.recording.slice(0, 16)}…, which this browser does not have: open its .prnr file too`);
  let description: DimensionDescription;
  try {
    description = deps.describe({ dimension: p.analysis, params: p.params });
  } catch (err) {
    fail(name, errorMessage(err));
  }
  if (description.version !== p.version || description.code !== p.code) {
    fail(name, `made by another version of the ${p.analysis} analysis (version ${p.version}, code ${p.code || '-'}; this app has ${description.version}, ${description.code || '-'}): run prnr analyze again`);
  }
  const every = p.slices.length === known.slices && p.slices.every((s, i) => s === i);
  if (!every) fail(name, `covers ${p.slices.length} of the recording's ${known.slices} slices; only a whole analysis opens with the recording`);
  await deps.save({ recording: p.recording, label: description.label, description, result, elapsedMs: 0, saved: deps.now() });
  return { recording: p.recording, title: known.title, label: description.label, dimension: p.analysis };
}
