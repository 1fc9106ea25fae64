import { messageFor } from "./messages.js"

// The offline outbox's and the offline recipient cache's sentences, kept apart from the shared
// catalogue (lib/messages.ts) so the whistleblower's entry chunk does not carry them; keyed the
// same way, with `{name}` slots.

const OUTBOX_EN: Readonly<Record<string, string>> = {
  "outbox.saved": "Saved on this device, will be sent when online.",
  "outbox.offlineForm":
    "You are offline. You can still write your report and attach files: it will be encrypted, saved on this device and sent when the connection returns.",
  "outbox.cachedForm":
    "This form was saved on this device earlier; its recipients' keys were checked against this node's signature then.",
  "outbox.notSent": "Not yet sent",
  "outbox.confirmed": "Confirmed: the relay received your report.",
  "outbox.sending": "Sending…",
  "outbox.waiting": "Waiting for a connection",
  "outbox.sealing": "Encrypting {name} on this device",
  "outbox.deleted": "The saved report was deleted from this device. It will not be sent.",
  "outbox.storageRefused":
    "This browser does not let the page save the report on this device (private mode or no space), so it cannot be kept for later. Connect to the internet and send it again.",
  "outbox.noCopy":
    "You are offline and this form was never opened on this device while online, so it cannot be filled in now. Open it once with a connection.",
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

/** The sentence for `key` (outbox and staff cache first, then the shared catalogue). */
export function outboxMessage(key: string): string {
  return OUTBOX_EN[key] ?? messageFor(key) ?? key
}

/** A sentence with its `{slot}`s filled. */
export function fillOutbox(key: string, slots: Readonly<Record<string, string>>): string {
  return outboxMessage(key).replace(/\{(\w+)\}/g, (_, slot: string) => slots[slot] ?? "")
}
