// What the Analyze panel offers (issue 12): one entry per checkbox
// (data-testid dimension-<id>), each naming the dimension it runs
// (src/analysis/dimensions) and how the panel's inputs become its parameters.
import type { DimensionRequest } from '../../../shared/analysis';
import { PrnrError } from '../../../shared/errors';
import { parseAddress } from '../memory/address';

export interface ChoiceInputs {
  /** The memory watch's physical range: an address (hex) and a length in bytes. */
  watchAddr: string;
  watchLength: string;
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
    about: 'every change to a physical range',
    request: ({ watchAddr, watchLength }) => {
      const addr = parseAddress(watchAddr);
      if (addr === undefined) throw new PrnrError('ANALYSIS_PARAMS', `a memory watch needs a physical address in hex, e.g. 0x80a00000, got "${watchAddr}"`);
      if (!/^\d+$/.test(watchLength.trim())) throw new PrnrError('ANALYSIS_PARAMS', `a memory watch needs a length in bytes, got "${watchLength}"`);
      return { dimension: 'watch', params: { addr: Number(addr), length: Number(watchLength) } };
    },
  },
  { id: 'console', dimension: 'console', title: 'Console', about: 'what the guest printed, write by write, as the replay printed it', request: () => ({ dimension: 'console', params: {} }) },
];

export type ChoiceId = AnalysisChoice['id'];
