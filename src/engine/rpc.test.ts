import { describe, expect, it } from 'vitest';
import { failWithWorker } from './rpc';

describe('failWithWorker', () => {
  it('rejects a pending call when the worker fails, instead of hanging', async () => {
    let fail!: (err: Error) => void;
    const failed = new Promise<never>((_, reject) => (fail = reject));
    const api = failWithWorker({ ping: () => new Promise<number>(() => undefined) }, failed);
    const call = api.ping();
    fail(new Error('engine worker exited with code 1'));
    await expect(call).rejects.toThrow('exited with code 1');
  });

  it('passes results through while the worker is alive', async () => {
    const api = failWithWorker({ ping: async () => 42 }, new Promise<never>(() => undefined));
    await expect(api.ping()).resolves.toBe(42);
  });
});
