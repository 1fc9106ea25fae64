import { sha256 } from "@noble/hashes/sha2.js"

// SHA-256 for the file worker, fastest first: WebCrypto where the page is a secure context (one
// shot only), hash-wasm's WebAssembly build (also incremental), then noble's pure JavaScript.
// All three are the same function; the fallbacks exist for .onion pages without crypto.subtle and
// for a CSP or browser that refuses WebAssembly.

/** An incremental SHA-256 (a whole file, read piece by piece). */
export interface Sha256Stream {
  update(piece: Uint8Array): void
  digest(): Uint8Array
}

type HashWasm = typeof import("hash-wasm")
let hashWasm: Promise<HashWasm | undefined> | undefined

function loadHashWasm(): Promise<HashWasm | undefined> {
  hashWasm ??=
    typeof WebAssembly === "object"
      ? import("hash-wasm").catch(() => undefined)
      : Promise.resolve(undefined)
  return hashWasm
}

/** The SHA-256 of `bytes`, and which implementation computed it. */
export async function sha256Once(bytes: Uint8Array): Promise<{ digest: Uint8Array; by: string }> {
  const subtle = globalThis.crypto?.subtle
  if (subtle) {
    try {
      return {
        digest: new Uint8Array(await subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>)),
        by: "webcrypto",
      }
    } catch {
      // A detached or shared buffer WebCrypto refuses: hash it below instead.
    }
  }
  const wasm = await loadHashWasm()
  if (wasm) {
    try {
      const hasher = await wasm.createSHA256()
      return { digest: hasher.init().update(bytes).digest("binary"), by: "hash-wasm" }
    } catch {
      // WebAssembly refused at instantiation (CSP): fall through to noble.
    }
  }
  return { digest: sha256(bytes), by: "noble" }
}

/** An incremental SHA-256: hash-wasm where WebAssembly runs, else noble. */
export async function sha256Stream(): Promise<Sha256Stream & { readonly by: string }> {
  const wasm = await loadHashWasm()
  if (wasm) {
    try {
      const hasher = (await wasm.createSHA256()).init()
      return {
        by: "hash-wasm",
        update: (piece) => {
          hasher.update(piece)
        },
        digest: () => hasher.digest("binary"),
      }
    } catch {
      // WebAssembly refused at instantiation: noble below.
    }
  }
  const hash = sha256.create()
  return {
    by: "noble",
    update: (piece) => {
      hash.update(piece)
    },
    digest: () => hash.digest(),
  }
}
