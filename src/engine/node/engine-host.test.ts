import { afterEach, describe, expect, it } from 'vitest';
import { MACHINE_API_VERSION } from '../machine';
import { startNodeEngine, type NodeEngine } from './engine-host';
import { errorCode } from '../../shared/errors';

describe('Node engine host (worker_thread)', () => {
  let engine: NodeEngine | undefined;
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
  });

  it('loads machine.wasm in a worker_thread and answers ping with the machine API version', async () => {
    engine = startNodeEngine();
    await expect(engine.api.ping()).resolves.toEqual({ apiVersion: MACHINE_API_VERSION });
  });

  it('reports a missing machine.wasm with its error code across the worker boundary', async () => {
    engine = startNodeEngine({ wasmPath: '/nonexistent/machine.wasm' });
    const err: unknown = await engine.api.ping().catch((e: unknown) => e);
    expect(errorCode(err)).toBe('WASM_MISSING');
    expect(String(err)).toContain('npm run build:wasm');
  });
});
