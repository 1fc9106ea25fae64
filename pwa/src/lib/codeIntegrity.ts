import { createSignal } from "solid-js"

// What the service worker says about the code in use (its manifest hash, signed or not) and
// about a refused update, shared by the footer and the update banner. Tiny on purpose: it is in
// the first load; the checking itself lives in the service worker.

/** The manifest this app was installed with; `hash` null when the node served none. */
export interface CodeManifest {
  readonly hash: string | null
  readonly signed: boolean
}

/** Why an update was refused, with the files that did not match. */
export interface RefusedUpdate {
  readonly reason: "unsigned" | "mismatch" | "unreachable"
  readonly files: readonly string[]
}

const [codeManifest, setCodeManifest] = createSignal<CodeManifest | undefined>()
const [refusedUpdate, setRefusedUpdate] = createSignal<RefusedUpdate | undefined>()

/** Read by the footer and the verify page; set once the service worker answers. */
export { codeManifest, refusedUpdate, setCodeManifest, setRefusedUpdate }

/** The first 16 hex digits in groups of four, as the footer shows them. */
export function shortHash(hash: string): string {
  return hash.slice(0, 16).replace(/(.{4})(?!$)/g, "$1 ")
}
