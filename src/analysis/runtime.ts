// The analyses as the engine sees them (src/shared/analysis.ts
// AnalysisRuntime): every dimension of dimensions/index.ts by name, with the
// image's OS profile parsed once per set of inputs. Whoever composes a replay
// worker or a merge hands this to the engine (docs/design.md 1: the engine
// never imports src/analysis).
import type { AnalysisInputs, AnalysisRuntime, DimensionRequest, MachineView, SliceObserver } from '../shared/analysis.ts';
import { PrnrError, errorMessage } from '../shared/errors.ts';
import type { AnalysisEnv, AnyDimension } from './dimension.ts';
import { DIMENSIONS } from './dimensions/index.ts';
import { kernelLayout } from './linux/kernel.ts';
import { parseOsProfile, type OsProfile } from './os-profile.ts';

export function dimensionNamed(name: string): AnyDimension {
  const d = DIMENSIONS.find((x) => x.name === name);
  if (!d) throw new PrnrError('ANALYSIS_UNKNOWN', `no analysis "${name}" (there are ${DIMENSIONS.map((x) => x.name).join(', ')})`);
  return d;
}

/** The environment for `inputs`: the profile parsed, its task layout, or the note saying why tasks go unnamed. */
export function analysisEnv(inputs: AnalysisInputs): AnalysisEnv {
  let profile: OsProfile | undefined;
  if (inputs.profile !== undefined) {
    try {
      profile = parseOsProfile(inputs.profile);
    } catch (err) {
      return { profile: undefined, layout: undefined, taskNote: `the image's OS profile does not parse (${errorMessage(err)}), so tasks cannot be named`, inputs };
    }
  }
  const layout = kernelLayout(profile);
  return 'layout' in layout ? { profile, layout: layout.layout, taskNote: undefined, inputs } : { profile, layout: undefined, taskNote: layout.note, inputs };
}

/** analysisEnv, remembered for the last profile text seen (a worker gets the same inputs for every slice). */
function cachedEnv(): (inputs: AnalysisInputs) => AnalysisEnv {
  let last: { profile: string | undefined; systemMap: string | undefined; env: AnalysisEnv } | undefined;
  return (inputs) => {
    if (!last || last.profile !== inputs.profile || last.systemMap !== inputs.systemMap) last = { profile: inputs.profile, systemMap: inputs.systemMap, env: analysisEnv(inputs) };
    return last.env;
  };
}

export function createAnalysisRuntime(): AnalysisRuntime {
  const env = cachedEnv();
  return {
    dimensions: () => DIMENSIONS.map((d) => d.name),
    describe(request: DimensionRequest) {
      const d = dimensionNamed(request.dimension);
      const params = d.params(request.params);
      return { dimension: d.name, params, version: d.version, code: d.code?.() ?? '', needs: d.needs(params), label: d.label?.(params) ?? d.name };
    },
    startSlice(request, slice, inputs): SliceObserver {
      const d = dimensionNamed(request.dimension);
      const observer = d.start(d.params(request.params), slice, env(inputs));
      const watches = observer.watches;
      return {
        event: (e, view) => observer.event(e, view),
        output: (tick, data) => observer.output?.(tick, data),
        ...(watches ? { watches: (view: MachineView) => watches.call(observer, view) } : {}),
        finish: () => observer.finish(),
      };
    },
    merge(request, partials, inputs) {
      const d = dimensionNamed(request.dimension);
      return d.merge(d.params(request.params), partials, env(inputs));
    },
  };
}
