import type { RouteGroup } from "../context.js"
import { serial } from "../services/users.js"
import { accountsAdminRoutes } from "./accountsAdmin.js"
import { authRoutes } from "./accountsAuth.js"
import { recoveryRoutes } from "./accountsRecovery.js"
import { settingsRoutes } from "./accountsSettings.js"
import { setupRoutes } from "./accountsSetup.js"
import { twoFactorRoutes } from "./twoFactor.js"
import { twoFactorAdminRoutes } from "./twoFactorAdmin.js"
import { twoFactorVerifyRoutes } from "./twoFactorVerify.js"
import { twoFactorWebAuthnRoutes } from "./twoFactorWebAuthn.js"

/**
 * Handlers of the "accounts" group: setup, login, second factors, password change, users,
 * settings and audit.
 * One queue serialises every read-check-write on accounts and settings in this process.
 */
export const accountsRoutes: RouteGroup = (ctx) => {
  const accountsLock = serial()
  return [
    ...setupRoutes(ctx, accountsLock),
    ...authRoutes(ctx, accountsLock),
    ...recoveryRoutes(ctx, accountsLock),
    ...accountsAdminRoutes(ctx, accountsLock),
    ...settingsRoutes(ctx, accountsLock),
    ...twoFactorRoutes(ctx, accountsLock),
    ...twoFactorVerifyRoutes(ctx, accountsLock),
    ...twoFactorAdminRoutes(ctx, accountsLock),
    ...twoFactorWebAuthnRoutes(ctx, accountsLock),
  ]
}
