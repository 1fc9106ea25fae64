import {
  accounts,
  admin,
  type BodyOf,
  contexts,
  type ResponseOf,
  stats,
  storage,
  system,
} from "@sotto/protocol"
import { relay } from "./api.js"

// The admin console's plain relay calls (no keys involved). Calls that need the admin's keys
// (new accounts, escrow reset, node key wraps, signed directories) live in adminKeys.ts.

/** One account as admins see it. */
export type AdminUser = ResponseOf<typeof accounts.listUsers>["users"][number]
/** The node settings. */
export type NodeSettingsView = ResponseOf<typeof accounts.getSettings>
/** One audit entry. */
export type AuditEntry = ResponseOf<typeof accounts.listAudit>["entries"][number]
/** One context as the whistleblower's form sees it. */
export type ContextInfo = ResponseOf<typeof contexts.getContext>
/** The stats response. */
export type Stats = ResponseOf<typeof stats.getStats>
/** The stored sizes response. */
export type StorageUsage = ResponseOf<typeof storage.getStorage>
/** One mail the relay gave up on. */
export type MailFailure = ResponseOf<typeof admin.listMailFailures>["failures"][number]

/** Every account, sorted by username. @throws RelayClientError. */
export async function loadUsers(session: string): Promise<AdminUser[]> {
  const { users } = await relay.call(accounts.listUsers, { session })
  return [...users].sort((a, b) => a.username.localeCompare(b.username))
}

/** Changes role, disabled flag, name or e-mail. @throws RelayClientError (409 last admin). */
export function updateUser(
  session: string,
  userId: string,
  body: { role?: AdminUser["role"]; disabled?: boolean },
): Promise<AdminUser> {
  return relay.call(accounts.updateUser, { session, params: { userId }, body })
}

/**
 * Deletes an account; `authKey` is the admin's current auth key (ReauthDialog).
 * @throws RelayClientError (401 WRONG_CREDENTIALS for a wrong password, 409 for the last admin).
 */
export async function deleteUser(session: string, userId: string, authKey: string): Promise<void> {
  await relay.call(accounts.deleteUser, {
    session,
    params: { userId },
    body: { currentAuthKey: authKey },
  })
}

/** Node settings. @throws RelayClientError. */
export function loadSettings(session: string): Promise<NodeSettingsView> {
  return relay.call(accounts.getSettings, { session })
}

/** What the settings page can change. */
export type SettingsPatch = BodyOf<typeof accounts.updateSettings>

/** Changes node settings. @throws RelayClientError `VALIDATION` (with field), `CONFLICT`. */
export function saveSettings(session: string, body: SettingsPatch): Promise<NodeSettingsView> {
  return relay.call(accounts.updateSettings, { session, body })
}

/** The newest `limit` audit entries (newest first). @throws RelayClientError. */
export async function loadAudit(session: string, limit = 500): Promise<AuditEntry[]> {
  return (await relay.call(accounts.listAudit, { session, query: { limit } })).entries
}

/** Tip counts per context and week, and first-response medians. @throws RelayClientError. */
export function loadStats(session: string, weeks = 12): Promise<Stats> {
  return relay.call(stats.getStats, { session, query: { weeks } })
}

/** Stored sizes per channel and for the node, the budgets and free disk. @throws RelayClientError. */
export function loadStorage(session: string): Promise<StorageUsage> {
  return relay.call(storage.getStorage, { session })
}

/** Notification mails given up on. @throws RelayClientError. */
export async function loadMailFailures(session: string): Promise<MailFailure[]> {
  return (await relay.call(admin.listMailFailures, { session })).failures
}

/** Whether the relay sends mail now (stored SMTP settings or SMTP_URL), asked afresh. */
export async function mailIsOn(): Promise<boolean> {
  return (await relay.call(system.getHealth)).mail
}

/** Queues a test mail. @throws RelayClientError `CONFLICT` when mail is off, `VALIDATION`. */
export async function sendTestMail(session: string, to: string): Promise<void> {
  await relay.call(admin.sendTestMail, { session, body: { to } })
}

/** Every context (public view). @throws RelayClientError. */
export async function loadContextList(): Promise<ContextInfo[]> {
  return (await relay.call(contexts.listContexts)).contexts
}

/** One context and the ids of its recipients (from its signed directory). */
export async function loadContextForEdit(
  contextId: string,
): Promise<{ context: ContextInfo; recipients: string[]; custodians: string[] }> {
  const [context, signed] = await Promise.all([
    relay.call(contexts.getContext, { params: { contextId } }),
    relay.call(contexts.getContextDirectory, { params: { contextId } }),
  ])
  return {
    context,
    recipients: signed.directory.recipients.map((r) => r.id),
    custodians: (signed.directory.custodians ?? []).map((c) => c.id),
  }
}

/** Deletes a context. @throws RelayClientError `CONFLICT` while it has tips. */
export async function deleteContext(session: string, contextId: string): Promise<void> {
  await relay.call(contexts.deleteContext, { session, params: { contextId } })
}
