import type { RouteGroup } from "../context.js"
import { serial } from "../services/users.js"
import { accountsAdminRoutes } from "./accountsAdmin.js"
import { authRoutes } from "./accountsAuth.js"
import { settingsRoutes } from "./accountsSettings.js"
import { setupRoutes } from "./accountsSetup.js"

/**
 * Handlers of the "accounts" group: setup, login, password change, users, settings and audit.
 * One queue serialises every read-check-write on accounts and settings in this process.
 */
export const accountsRoutes: RouteGroup = (ctx) => {
  const accountsLock = serial()
  return [
    ...setupRoutes(ctx, accountsLock),
    ...authRoutes(ctx, accountsLock),
    ...accountsAdminRoutes(ctx, accountsLock),
    ...settingsRoutes(ctx, accountsLock),
  ]
}
