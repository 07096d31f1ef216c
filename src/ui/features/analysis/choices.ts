// What the Analyze panel offers (issue 12): one entry per checkbox
// (data-testid dimension-<id>), each naming the dimension it runs
// (src/analysis/dimensions) and how the panel's inputs become its parameters.
import type { DimensionRequest } from '../../../shared/analysis';
import { PrnrError } from '../../../shared/errors';
import { parseAddress } from '../memory/address';

export interface ChoiceInputs {
  /** The memory watch's range: an address (hex) and a length in bytes. */
  watchAddr: string;
  watchLength: string;
  /** Physical, or virtual in process `watchPid` (the watch dimension's pid). */
  watchSpace: 'physical' | 'virtual';
  watchPid: string;
}

/** The watch dimension's parameters from the panel's inputs (clear errors for bad ones). */
function watchRequest({ watchAddr, watchLength, watchSpace, watchPid }: ChoiceInputs): DimensionRequest {
  const virtual = watchSpace === 'virtual';
  const addr = parseAddress(watchAddr);
  if (addr === undefined) throw new PrnrError('ANALYSIS_PARAMS', `a memory watch needs a ${virtual ? 'virtual' : 'physical'} address in hex, e.g. ${virtual ? '0x3fffff0000' : '0x80a00000'}, got "${watchAddr}"`);
  if (!/^\d+$/.test(watchLength.trim())) throw new PrnrError('ANALYSIS_PARAMS', `a memory watch needs a length in bytes, got "${watchLength}"`);
  const params = { addr: Number(addr), length: Number(watchLength) };
  if (!virtual) return { dimension: 'watch', params };
  if (!/^\d+$/.test(watchPid.trim()) || Number(watchPid) < 1) throw new PrnrError('ANALYSIS_PARAMS', `a virtual memory watch needs the pid of the process whose address it is, got "${watchPid}"`);
  return { dimension: 'watch', params: { ...params, pid: Number(watchPid) } };
}

export interface AnalysisChoice {
  id: 'syscalls' | 'processes' | 'hotspots' | 'memwatch' | 'console';
  dimension: string;
  title: string;
  about: string;
  request(inputs: ChoiceInputs): DimensionRequest;
}

export const ANALYSIS_CHOICES: readonly AnalysisChoice[] = [
  { id: 'syscalls', dimension: 'syscalls', title: 'Syscalls', about: 'every call, decoded as strace prints it', request: () => ({ dimension: 'syscalls', params: {} }) },
  { id: 'processes', dimension: 'processes', title: 'Processes', about: 'which task ran when: forks, execs, exits', request: () => ({ dimension: 'processes', params: {} }) },
  { id: 'hotspots', dimension: 'hotspots', title: 'Hot spots', about: 'PC samples every 10,000 ticks, symbolised', request: () => ({ dimension: 'hotspots', params: {} }) },
  {
    id: 'memwatch',
    dimension: 'watch',
    title: 'Memory watch',
    about: 'every write to a physical range, or to a virtual one in a process (followed through remaps and COW copies)',
    request: watchRequest,
  },
  { id: 'console', dimension: 'console', title: 'Console', about: 'what the guest printed, write by write, as the replay printed it', request: () => ({ dimension: 'console', params: {} }) },
];

export type ChoiceId = AnalysisChoice['id'];
