import type { RelayConfig } from "./config.js"
import type { RelayContext, RouteGroup } from "./context.js"
import { Admission } from "./http/admission.js"
import { createIntegrity } from "./http/integrity.js"
import { createResolver } from "./http/router.js"
import { type HttpServer, startHttpServer } from "./http/server.js"
import { createStaticHandler } from "./http/static.js"
import { createLogger, type Logger } from "./log.js"
import { accountsRoutes } from "./routes/accounts.js"
import { adminRoutes } from "./routes/admin.js"
import { adminStatsRoutes } from "./routes/adminStats.js"
import { adminStorageRoutes } from "./routes/adminStorage.js"
import { contextsRoutes } from "./routes/contexts.js"
import { filesRoutes } from "./routes/files.js"
import { identityRoutes } from "./routes/identity.js"
import { oprfRoutes } from "./routes/oprf.js"
import { systemRoutes } from "./routes/system.js"
import { tipsRoutes } from "./routes/tips.js"
import { wbRoutes } from "./routes/wb.js"
import { AuditLog } from "./services/audit.js"
import { type Clock, systemClock } from "./services/clock.js"
import { checkDataVersion } from "./services/dataVersion.js"
import { EventHub } from "./services/events.js"
import { rebuildHolderIndex } from "./services/holderIndex.js"
import { LoginGuard } from "./services/loginGuard.js"
import { oprfKeys } from "./services/oprfKeys.js"
import type { NodeSettings } from "./services/records.js"
import { DEFAULT_IDLE_TIMEOUTS, SessionService } from "./services/session.js"
import { rebuildUsage } from "./services/storageUsage.js"
import { startTimerRunner, type TimerRunner } from "./services/timerRunner.js"
import type { StoreBackend } from "./store/backend.js"
import { openBackend } from "./store/openBackend.js"
import { Store } from "./store/store.js"
import { createPushChannel } from "./ws.js"

/** Route groups, one file each under routes/. */
const GROUPS: readonly RouteGroup[] = [
  systemRoutes,
  accountsRoutes,
  contextsRoutes,
  wbRoutes,
  oprfRoutes,
  tipsRoutes,
  identityRoutes,
  filesRoutes,
  adminRoutes,
  adminStatsRoutes,
  adminStorageRoutes,
]

export interface RelayOptions {
  readonly config: RelayConfig
  /** Defaults to the store `config` names: LevelDB in `config.dataDir`, or PostgreSQL. */
  readonly backend?: StoreBackend
  readonly clock?: Clock
  readonly log?: Logger
}

/** A running relay. */
export interface Relay {
  readonly port: number
  readonly ctx: RelayContext
  readonly timers: TimerRunner
  /** Stops listening and closes the store. */
  close(): Promise<void>
}

/** Opens the store and starts the relay on `config.host:config.port` (port 0 picks a free one). */
export async function startRelay(options: RelayOptions): Promise<Relay> {
  const { config } = options
  const log = options.log ?? createLogger(config.logLevel)
  let backend = options.backend
  if (!backend) backend = await openBackend(config)
  const store = new Store(backend)
  try {
    await checkDataVersion(store, log)
  } catch (e) {
    await store.close()
    throw e
  }
  await rebuildHolderIndex(store)
  await rebuildUsage(store)
  const clock = options.clock ?? systemClock
  const sessions = new SessionService(
    store,
    clock,
    async () =>
      (await store.get<NodeSettings>("settings", "node"))?.idleTimeouts ?? DEFAULT_IDLE_TIMEOUTS,
    config.sessionLifetimes,
  )
  const ctx: RelayContext = {
    config,
    store,
    clock,
    log,
    sessions,
    audit: new AuditLog(store, clock),
    events: new EventHub(),
    loginGuard: new LoginGuard(clock, store),
  }
  try {
    // Made (or read) before serving: a malformed key file stops the start, never a login later.
    oprfKeys(ctx)
  } catch (e) {
    await store.close()
    throw e
  }
  const routes = GROUPS.flatMap((group) => group(ctx))
  const push = createPushChannel(ctx)
  const admission = new Admission(config.limits)
  let server: HttpServer
  try {
    server = await startHttpServer({
      host: config.host,
      port: config.port,
      log,
      admission,
      ...(config.onionAddress ? { onionAddress: config.onionAddress } : {}),
      ws: { path: "/api/v1/ws", behavior: push.behavior },
      resolve: createResolver({
        routes,
        authenticate: (token) => sessions.authenticate(token),
        serveStatic: createStaticHandler({
          dir: config.staticDir,
          log,
          ...(config.staticMaxBytes ? { maxBytes: config.staticMaxBytes } : {}),
          integrity: createIntegrity(config.staticDir, log),
        }),
      }),
    })
  } catch (e) {
    push.stop()
    await store.close()
    throw e
  }
  const timers = startTimerRunner(ctx)
  await timers.ready
  log.info("relay_started", { port: server.port, mail: config.smtpUrl !== undefined })
  return {
    port: server.port,
    ctx,
    timers,
    close: async () => {
      await timers.stop()
      push.stop()
      server.close()
      await store.close()
    },
  }
}
