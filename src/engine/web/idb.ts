// A small IndexedDB database of this browser's, opened once per page (or
// worker) and reopened after another tab upgrades it, and one request per
// transaction, resolved when the transaction commits. Failures are
// PrnrErrors naming what the database is for (`what`).
import { PrnrError } from '../../shared/errors';

export interface SmallDatabase {
  /** Runs one request on `store`; resolves with its result once the transaction commits. */
  run<T>(store: string, mode: IDBTransactionMode, body: (s: IDBObjectStore) => IDBRequest<T>): Promise<T>;
  /** Runs `body` in one transaction over `stores` (in that order); resolves with what its returned function gives once the transaction commits. */
  transact<T>(stores: readonly string[], mode: IDBTransactionMode, body: (stores: IDBObjectStore[]) => () => T): Promise<T>;
}

/** `upgrade` creates the stores (it runs when `version` is new to this browser). */
export function smallDatabase(name: string, version: number, what: string, upgrade: (db: IDBDatabase) => void): SmallDatabase {
  let opened: Promise<IDBDatabase> | undefined;
  const database = () => {
    opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      if (!globalThis.indexedDB) return reject(new PrnrError('STORAGE_UNAVAILABLE', `this browser has no IndexedDB to keep ${what} in`));
      const request = indexedDB.open(name, version);
      request.onupgradeneeded = () => upgrade(request.result);
      request.onsuccess = () => {
        const db = request.result;
        // Another tab upgrading the schema: let it, and reopen next time.
        db.onversionchange = () => {
          db.close();
          opened = undefined;
        };
        resolve(db);
      };
      request.onerror = () => reject(new PrnrError('STORAGE_UNAVAILABLE', `cannot open the store of ${what}: ${request.error?.message ?? 'unknown error'}`));
      request.onblocked = () => reject(new PrnrError('STORAGE_UNAVAILABLE', `the store of ${what} is held by an older version of prnr in another tab: close it and reload`));
    }).catch((err: unknown) => {
      opened = undefined;
      throw err;
    });
    return opened;
  };
  const transact = async <T>(stores: readonly string[], mode: IDBTransactionMode, body: (stores: IDBObjectStore[]) => () => T): Promise<T> => {
    const db = await database();
    return new Promise<T>((resolve, reject) => {
      const tx = db.transaction(stores, mode);
      const value = body(stores.map((store) => tx.objectStore(store)));
      tx.oncomplete = () => resolve(value());
      tx.onerror = () => reject(new PrnrError('STORAGE_WRITE_FAILED', `the store of ${what} failed: ${tx.error?.message ?? 'unknown error'}`));
      tx.onabort = tx.onerror;
    });
  };
  return {
    run<T>(store: string, mode: IDBTransactionMode, body: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
      return transact([store], mode, ([s]) => {
        const request = body(s!);
        return () => request.result;
      });
    },
    transact,
  };
}
