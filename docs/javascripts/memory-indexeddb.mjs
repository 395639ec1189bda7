// @ts-check
/*
 * An IndexedDB that lives in memory only, for a Python worker in a browser that blocks site
 * data. PyScript opens an IndexedDB store as it starts (its package cache), and with site data
 * blocked that open fails and PyScript never starts. interpreter.mjs installs this in the
 * worker only then: the cache is simply empty at every start, which costs nothing here, since
 * the site loads no Python package. It implements what PyScript's IDBMap uses: open, one
 * object store, transactions, and get, getKey, getAllKeys, put, delete, clear and count.
 */

/** A request whose result arrives after the caller has set its handlers, as IndexedDB's do. */
const settle = (/** @type {any} */ request, /** @type {() => unknown} */ work) => {
  setTimeout(() => {
    try {
      request.result = work();
      request.readyState = "done";
      request.onsuccess?.({ type: "success", target: request });
    } catch (error) {
      request.error = error;
      request.onerror?.({ type: "error", target: request });
    }
  });
  return request;
};

/** An object store: a Map behind IndexedDB's request-shaped methods. */
const objectStore = (/** @type {Map<unknown, unknown>} */ data) => ({
  get: (/** @type {unknown} */ key) => settle({}, () => data.get(key)),
  getKey: (/** @type {unknown} */ key) => settle({}, () => (data.has(key) ? key : undefined)),
  getAllKeys: () => settle({}, () => [...data.keys()]),
  getAll: () => settle({}, () => [...data.values()]),
  put: (/** @type {unknown} */ value, /** @type {unknown} */ key) =>
    settle({}, () => {
      data.set(key, structuredClone(value));
      return key;
    }),
  delete: (/** @type {unknown} */ key) => settle({}, () => void data.delete(key)),
  clear: () => settle({}, () => void data.clear()),
  count: () => settle({}, () => data.size),
});

/** A transaction over the database's stores; it completes once its requests are done. */
const transaction = (/** @type {Map<string, Map<unknown, unknown>>} */ stores) => {
  const tx = {
    /** @type {null | (() => void)} */
    oncomplete: null,
    objectStore: (/** @type {string} */ name) => {
      const data = stores.get(name);
      if (!data) throw new DOMException(`no object store ${name}`, "NotFoundError");
      return objectStore(data);
    },
  };
  setTimeout(() => setTimeout(() => tx.oncomplete?.()));
  return tx;
};

/** A database: named object stores, each a Map. */
const database = () => {
  /** @type {Map<string, Map<unknown, unknown>>} */
  const stores = new Map();
  return {
    objectStoreNames: {
      get length() {
        return stores.size;
      },
      contains: (/** @type {string} */ name) => stores.has(name),
    },
    createObjectStore: (/** @type {string} */ name) => {
      stores.set(name, new Map());
      return objectStore(/** @type {Map<unknown, unknown>} */ (stores.get(name)));
    },
    transaction: () => transaction(stores),
    close: () => undefined,
  };
};

/** Replace the worker's blocked IndexedDB with one in memory (for this worker's life only). */
export const installMemoryIndexedDB = (/** @type {any} */ scope = globalThis) => {
  /** @type {Map<string, ReturnType<typeof database>>} */
  const databases = new Map();
  const factory = {
    open(/** @type {string} */ name) {
      /** @type {any} */
      const request = { readyState: "pending", result: undefined, error: null };
      setTimeout(() => {
        let db = databases.get(name);
        if (!db) {
          db = database();
          databases.set(name, db);
          request.result = db;
          request.transaction = transaction(new Map());
          request.onupgradeneeded?.({ type: "upgradeneeded", target: request });
        }
        request.result = db;
        request.readyState = "done";
        request.onsuccess?.({ type: "success", target: request });
      });
      return request;
    },
    deleteDatabase(/** @type {string} */ name) {
      return settle({}, () => void databases.delete(name));
    },
    databases: async () => [...databases.keys()].map((name) => ({ name, version: 1 })),
  };
  Object.defineProperty(scope, "indexedDB", { value: factory, configurable: true });
};
