import { query } from "@solidjs/router"
import { accounts, type ResponseOf } from "@sotto/protocol"
import { loadNode, relay } from "./api.js"

// The header shows the node's name and logo text from GET /node. When an admin changes them in
// the console, the header must follow without a reload: the settings page calls nodeChanged().
// So does the setup wizard: the landing page cached a 409 "not set up" for loadNode, which the
// Users page would otherwise reuse and throw on.

/** What GET /node says about the node. */
export type NodeInfo = ResponseOf<typeof accounts.getNode>

const listeners = new Set<(node: NodeInfo) => void>()

/** Calls `listener` with the fresh node info after each {@link nodeChanged}; returns the unsubscribe. */
export function onNodeChanged(listener: (node: NodeInfo) => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/**
 * Fetches GET /node afresh, puts it in loadNode's cache and hands it to every listener. Never
 * throws (the header can wait; a failed fetch drops the cached answer so the next page asks again).
 */
export async function nodeChanged(): Promise<void> {
  try {
    const node = await relay.call(accounts.getNode)
    query.set(loadNode.keyFor(), node)
    for (const listener of listeners) listener(node)
  } catch {
    // The next page asks again.
    query.delete(loadNode.keyFor())
  }
}
