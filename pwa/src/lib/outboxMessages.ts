import { messageFor } from "./messages.js"

// The offline recipient cache's sentences (English, staff only), kept apart from the shared
// catalogue (lib/messages.ts) so the whistleblower's entry chunk does not carry them; the
// outbox's sentences are in the whistleblower's translated catalogues (i18n/).

const OUTBOX_EN: Readonly<Record<string, string>> = {
  "staffCache.offlineLogin":
    "You are offline. You are reading the copies kept on this device; nothing can be sent until the connection returns.",
  "staffCache.noCopy":
    "You are offline and this device keeps no copy for this account. Log in once with a connection.",
  "staffCache.oprf":
    "You are offline, and this node checks passwords with its own help, so this device cannot open its copy without a connection. Log in again once you are connected.",
  "staffCache.noTip": "This tip was not opened on this device while online, so no copy is kept.",
  "staffCache.forgotten": "Everything this device kept for staff was deleted.",
  "staffCache.forgetHelp":
    "Tips you open are kept on this device, encrypted to your account, so you can read them offline after entering your password.",
}

/** The sentence for `key` (staff cache first, then the catalogues of lib/messages.ts). */
export function outboxMessage(key: string): string {
  return OUTBOX_EN[key] ?? messageFor(key) ?? key
}

/** A sentence with its `{slot}`s (or `{{slot}}`s) filled. */
export function fillOutbox(key: string, slots: Readonly<Record<string, string>>): string {
  return outboxMessage(key).replace(
    /\{\{?\s*(\w+)\s*\}?\}/g,
    (_, slot: string) => slots[slot] ?? "",
  )
}
