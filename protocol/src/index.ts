/**
 * The wire protocol: every route spec (the single source of truth for relay validation, the
 * OpenAPI document and the typed client) and the client itself.
 */
import * as accounts from "./accounts.js"
import * as admin from "./admin.js"
import * as contexts from "./contexts.js"
import * as escrowQuorum from "./escrowQuorum.js"
import * as files from "./files.js"
import * as identity from "./identity.js"
import * as manifest from "./manifest.js"
import * as oprf from "./oprf.js"
import type { AnyRoute } from "./route.js"
import * as stats from "./stats.js"
import * as storage from "./storage.js"
import * as system from "./system.js"
import * as tips from "./tips.js"
import * as twoFactor from "./twoFactor.js"
import * as wb from "./wb.js"

export * from "./client.js"
export * as common from "./common.js"
export * as push from "./push.js"
export * from "./route.js"
export {
  accounts,
  admin,
  contexts,
  escrowQuorum,
  files,
  identity,
  manifest,
  oprf,
  stats,
  storage,
  system,
  tips,
  twoFactor,
  wb,
}

/** Bumped on any incompatible wire change. */
export const PROTOCOL_VERSION = "2.0.0"

const isRoute = (v: unknown): v is AnyRoute =>
  typeof v === "object" && v !== null && "path" in v && "method" in v && "id" in v

/** Every route spec, for OpenAPI generation and the bad-input test sweep. */
export const ALL_SPECS: readonly AnyRoute[] = [
  system,
  accounts,
  escrowQuorum,
  twoFactor,
  contexts,
  wb,
  tips,
  identity,
  files,
  manifest,
  oprf,
  admin,
  stats,
  storage,
].flatMap((m) => Object.values(m).filter(isRoute))
