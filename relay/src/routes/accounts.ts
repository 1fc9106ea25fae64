import type { RouteGroup } from "../context.js"
import type { Serial } from "../services/users.js"
import { accountsAdminRoutes } from "./accountsAdmin.js"
import { authRoutes } from "./accountsAuth.js"
import { recoveryRoutes } from "./accountsRecovery.js"
import { settingsRoutes } from "./accountsSettings.js"
import { setupRoutes } from "./accountsSetup.js"
import { escrowQuorumRoutes } from "./escrowQuorum.js"
import { twoFactorRoutes } from "./twoFactor.js"
import { twoFactorAdminRoutes } from "./twoFactorAdmin.js"
import { twoFactorVerifyRoutes } from "./twoFactorVerify.js"
import { twoFactorWebAuthnRoutes } from "./twoFactorWebAuthn.js"

/**
 * Handlers of the "accounts" group: setup, login, second factors, password change, users,
 * settings and audit.
 * One lock serialises every read-check-write on accounts and settings, on every process of the
 * node (the context's Coordinator).
 */
export const accountsRoutes: RouteGroup = (ctx) => {
  const accountsLock: Serial = (work) => ctx.coordinator.withLock("accounts", work)
  return [
    ...setupRoutes(ctx, accountsLock),
    ...authRoutes(ctx, accountsLock),
    ...recoveryRoutes(ctx, accountsLock),
    ...accountsAdminRoutes(ctx, accountsLock),
    ...escrowQuorumRoutes(ctx, accountsLock),
    ...settingsRoutes(ctx, accountsLock),
    ...twoFactorRoutes(ctx, accountsLock),
    ...twoFactorVerifyRoutes(ctx, accountsLock),
    ...twoFactorAdminRoutes(ctx, accountsLock),
    ...twoFactorWebAuthnRoutes(ctx, accountsLock),
  ]
}
