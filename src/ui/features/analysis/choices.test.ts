// The Analyze panel's memory watch: its inputs as the watch dimension's
// parameters, physical or virtual in a process, bad ones refused plainly.
import { describe, expect, it } from 'vitest';
import { createAnalysisRuntime } from '../../../analysis/runtime';
import { errorCode, errorMessage } from '../../../shared/errors';
import { ANALYSIS_CHOICES, type ChoiceInputs } from './choices';

const memwatch = ANALYSIS_CHOICES.find((c) => c.id === 'memwatch')!;
const inputs = (over: Partial<ChoiceInputs>): ChoiceInputs => ({ watchAddr: '0x80a00000', watchLength: '8', watchSpace: 'physical', watchPid: '', ...over });
const refusal = (over: Partial<ChoiceInputs>) => {
  try {
    memwatch.request(inputs(over));
  } catch (err) {
    return `${errorCode(err)}: ${errorMessage(err)}`;
  }
  return 'accepted';
};

describe('the memory watch choice', () => {
  it('watches a physical range, or a virtual one in the pid given', () => {
    expect(memwatch.request(inputs({}))).toEqual({ dimension: 'watch', params: { addr: 0x80a0_0000, length: 8 } });
    const virtual = memwatch.request(inputs({ watchSpace: 'virtual', watchPid: '31', watchAddr: '0x3fd2bebad0' }));
    expect(virtual).toEqual({ dimension: 'watch', params: { addr: 0x3f_d2be_bad0, length: 8, pid: 31 } });
    expect(createAnalysisRuntime().describe(virtual).label).toBe('watch-pid31-0x3fd2bebad0-8');
  });

  it('refuses a virtual watch without a pid, a bad address or length', () => {
    expect(refusal({ watchSpace: 'virtual', watchPid: '' })).toMatch(/^ANALYSIS_PARAMS: a virtual memory watch needs the pid/);
    expect(refusal({ watchSpace: 'virtual', watchPid: '31', watchAddr: 'here' })).toMatch(/needs a virtual address in hex/);
    expect(refusal({ watchLength: 'eight' })).toMatch(/needs a length in bytes/);
    expect(refusal({ watchPid: 'ignored for a physical watch' })).toBe('accepted');
  });
});
