import { describe, expect, it } from 'vitest';
import { jitInQuery, jitInWorkerName, workerNameWithJit } from './jit-setting';

describe('the JIT choice of a browser engine', () => {
  it('travels in worker names, from the page query', () => {
    for (const jit of [true, false]) {
      const name = workerNameWithJit('prnr-replay-3', jit);
      expect(name.startsWith('prnr-replay-3')).toBe(true);
      expect(jitInWorkerName(name)).toBe(jit);
      expect(jitInWorkerName(workerNameWithJit(name, !jit))).toBe(!jit); // the last choice wins
    }
    expect(workerNameWithJit('prnr-engine', undefined)).toBe('prnr-engine');
    expect(jitInWorkerName('prnr-engine')).toBeUndefined();
    expect(jitInQuery('?t=5&jit=1')).toBe(true);
    expect(jitInQuery('?jit=0')).toBe(false);
    expect(jitInQuery('?jit=yes')).toBeUndefined();
    expect(jitInQuery('')).toBeUndefined();
  });
});
