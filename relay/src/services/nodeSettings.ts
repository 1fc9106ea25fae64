import { RelayError } from "../errors.js"
import type { Store } from "../store/store.js"
import type { NodeSecrets, NodeSettings } from "./records.js"

/** The base PoW difficulty and tip lifetime of a new node. */
export const DEFAULT_POW_DIFFICULTY = 12
export const DEFAULT_EXPIRY_DAYS = 90

/** Reads `settings/node`. @throws RelayError NOT_SET_UP before setup. */
export async function requireNode(store: Store): Promise<NodeSettings> {
  const node = await store.get<NodeSettings>("settings", "node")
  if (!node) throw new RelayError("NOT_SET_UP", "this node is not set up yet")
  return node
}

/** Reads `settings/secret`. @throws RelayError NOT_SET_UP before setup. */
export async function requireSecrets(store: Store): Promise<NodeSecrets> {
  const secrets = await store.get<NodeSecrets>("settings", "secret")
  if (!secrets) throw new RelayError("NOT_SET_UP", "this node is not set up yet")
  return secrets
}
