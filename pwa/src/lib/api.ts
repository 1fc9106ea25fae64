import { query } from "@solidjs/router"
import { accounts, contexts, RelayClient, system } from "@sotto/protocol"
import { measuredFetch } from "./linkSpeed.js"

// Queries shared by every area. The client is the relay's own typed client, built from the same
// route specs the relay validates with; area-specific calls live beside their routes' files.

/**
 * The relay this page came from (same origin: no other origin is ever contacted); its uploads
 * are timed so that file chunks fit the link (lib/linkSpeed.ts).
 */
export const relay = new RelayClient(location.origin, measuredFetch)

/** Relay status: is the node set up, is mail on. */
export const loadHealth = query(() => relay.call(system.getHealth), "health")

/** The node's public facts: name, escrow and signing public keys, receipt settings. */
export const loadNode = query(() => relay.call(accounts.getNode), "node")

/** The contexts a whistleblower can report to. */
export const loadContexts = query(
  async () => (await relay.call(contexts.listContexts)).contexts,
  "contexts",
)

/** One context's questionnaire and file limits. */
export const loadContext = query(
  (contextId: string) => relay.call(contexts.getContext, { params: { contextId } }),
  "context",
)
