import type { RelayConfig } from "./config.js"
import type { BoundRoute } from "./http/router.js"
import type { Logger } from "./log.js"
import type { AuditLog } from "./services/audit.js"
import type { Clock } from "./services/clock.js"
import type { EventHub } from "./services/events.js"
import type { LoginGuard } from "./services/loginGuard.js"
import type { SessionService } from "./services/session.js"
import type { Coordinator } from "./shared/coordinator.js"
import type { Store } from "./store/store.js"

/** Everything a route group's handlers may use. */
export interface RelayContext {
  readonly config: RelayConfig
  readonly store: Store
  readonly clock: Clock
  readonly log: Logger
  readonly sessions: SessionService
  readonly audit: AuditLog
  readonly events: EventHub
  /** Brute-force defence for logins and password re-checks (shared through `coordinator`). */
  readonly loginGuard: LoginGuard
  /** Locks, spent tickets and counters, shared by every process of the node (in process alone). */
  readonly coordinator: Coordinator
}

/** A route group: a function from the context to its bound routes (one file per group). */
export type RouteGroup = (ctx: RelayContext) => readonly BoundRoute[]
