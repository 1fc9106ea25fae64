import type { Page } from "playwright-core"

// What the page's origin keeps in IndexedDB, read from inside the page: every object store of
// every database, keys and values, with binary data (ArrayBuffer, typed arrays, Blobs) as hex,
// so a test can search the dump for plaintext that must never be stored.

/** The whole IndexedDB of the page's origin as JSON text: {db: {store: [{key, value}]}}. */
export function dumpIndexedDb(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const hex = (bytes: Uint8Array) =>
      Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")
    const serialise = async (value: unknown): Promise<unknown> => {
      if (value instanceof ArrayBuffer) return { hex: hex(new Uint8Array(value)) }
      if (ArrayBuffer.isView(value)) {
        return { hex: hex(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) }
      }
      if (value instanceof Blob) return { blobHex: hex(new Uint8Array(await value.arrayBuffer())) }
      if (Array.isArray(value)) return Promise.all(value.map(serialise))
      if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {}
        for (const [k, v] of Object.entries(value)) out[k] = await serialise(v)
        return out
      }
      return value
    }
    const request = <T>(r: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        r.onsuccess = () => resolve(r.result)
        r.onerror = () => reject(r.error)
      })
    const dump: Record<string, Record<string, unknown>> = {}
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue
      const db = await request(indexedDB.open(info.name))
      const stores: Record<string, unknown> = {}
      for (const name of Array.from(db.objectStoreNames)) {
        const store = db.transaction(name).objectStore(name)
        const [keys, values] = await Promise.all([
          request(store.getAllKeys()),
          request(store.getAll()),
        ])
        stores[name] = await Promise.all(
          keys.map(async (key, i) => ({
            key: await serialise(key),
            value: await serialise(values[i]),
          })),
        )
      }
      db.close()
      dump[info.name] = stores
    }
    return JSON.stringify(dump)
  })
}

/** Lowercase hex of some bytes (to search a dump for a sample of a plain file). */
export function hexOf(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex")
}
