// Comlink setup shared by both engine hosts and their clients. Comlink rebuilds
// a thrown Error on the caller's side from its message, name and stack only;
// this keeps PrnrError's `code` too, so callers can check `errorCode(err)`
// after the hop. Call once per realm (worker and caller) before wrap/expose.
import * as Comlink from 'comlink';
import { errorCode } from '../shared/errors';

let installed = false;

export function installRpcErrorCodes(): void {
  if (installed) return;
  installed = true;
  const builtin = Comlink.transferHandlers.get('throw') as Comlink.TransferHandler<{ value: unknown }, { isError: boolean; value: Record<string, unknown> }> | undefined;
  if (!builtin) return;
  Comlink.transferHandlers.set('throw', {
    canHandle: (value: unknown): value is { value: unknown } => builtin.canHandle(value),
    serialize(thrown: { value: unknown }) {
      const [serialized, transferables] = builtin.serialize(thrown);
      const code = errorCode(thrown.value);
      if (serialized.isError && code !== undefined) serialized.value = { ...serialized.value, code };
      return [serialized, transferables];
    },
    deserialize: (serialized: { isError: boolean; value: Record<string, unknown> }) => builtin.deserialize(serialized),
  } as Comlink.TransferHandler<unknown, unknown>);
}

/**
 * Wraps a Comlink remote so every call also rejects when `workerFailed` does
 * (the worker failed to load, crashed or exited): callers get an error, not a
 * promise that never settles.
 */
export function failWithWorker<T extends object>(remote: T, workerFailed: Promise<never>): T {
  workerFailed.catch(() => undefined);
  return new Proxy(remote, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => Promise.race([(value as (...a: unknown[]) => Promise<unknown>)(...args), workerFailed]);
    },
  });
}
