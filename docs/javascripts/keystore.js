// @ts-check
/*
 * The organiser's round keys, kept in this browser's IndexedDB (a CryptoKey cannot be kept in
 * localStorage): each round's private key, non-extractable, under the round's id. Nothing here
 * ever leaves the browser; where the browser blocks site data, every call says so.
 */
import { manifest } from "./page.js";

const DATABASE = `${manifest.names.storage_prefix}:keys`;
const STORE = "round-keys";

/** The database, opened (and made on first use). */
const open = () =>
  new Promise((resolve, reject) => {
    let request;
    try {
      request = indexedDB.open(DATABASE, 1);
    } catch (error) {
      reject(error);
      return;
    }
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

/** Run `work` on the store in a transaction of `mode`; resolve with its request's result. */
const within = async (
  /** @type {IDBTransactionMode} */ mode,
  /** @type {(store: IDBObjectStore) => IDBRequest} */ work,
) => {
  /** @type {IDBDatabase} */
  const db = /** @type {IDBDatabase} */ (await open());
  try {
    return await new Promise((resolve, reject) => {
      const request = work(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
};

const blocked = (/** @type {unknown} */ error) =>
  new Error(
    "this browser does not let the site keep a round's key (its site data is blocked or full): " +
      `${error instanceof Error ? error.message : error}`,
  );

/** Keep the round's private key. */
export const keepKey = async (/** @type {string} */ round, /** @type {CryptoKey} */ key) => {
  try {
    await within("readwrite", (store) => store.put(key, round));
  } catch (error) {
    throw blocked(error);
  }
};

/** The round's private key, or null if this browser does not hold it. */
export const loadKey = async (/** @type {string} */ round) => {
  try {
    const key = await within("readonly", (store) => store.get(round));
    return key instanceof CryptoKey ? key : null;
  } catch {
    return null;
  }
};

/** Forget the round's private key (its replies can then be opened only from the backup). */
export const dropKey = async (/** @type {string} */ round) => {
  try {
    await within("readwrite", (store) => store.delete(round));
  } catch (error) {
    throw blocked(error);
  }
};
