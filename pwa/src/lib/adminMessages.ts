import { describeError, errorCode } from "./errors.js"
import { messageFor } from "./messages.js"

// The admin console's sentences, kept apart from the shared catalogue (lib/messages.ts) so the
// whistleblower's entry chunk does not carry them; keyed the same way, with `{name}` slots.

const ADMIN_EN: Readonly<Record<string, string>> = {
  "admin.noNodeKey":
    "Your account does not hold the node keys yet. Another administrator must open the console and choose “Give node keys” for you.",
  "admin.escrowOff":
    "Escrow is off on this node: nobody can reset a password. A person who loses both their password and their recovery key loses access to their account and to every tip wrapped to it.",
  "admin.escrowOn":
    "Escrow is on: an administrator can reset a forgotten password; the person keeps their tips.",
  "admin.otpOnce":
    "Give this one-time password to {name} in person or over a channel you trust. It is shown only now; they must choose a new password when they log in.",
  "admin.deleteConfirm":
    "Delete the account {name}? Tips already wrapped to it stay; the person can no longer log in.",
  "admin.keysGiven": "The node keys were given to {name}.",
  "admin.saved": "Saved.",
  "admin.settingsSaved": "Saved. The node is now called “{name}”.",
  "admin.manifestVersion":
    "Signed node manifest: version {version}. Changing the name, the receipt pattern or the proof-of-work bounds re-signs it in this browser.",
  "admin.directorySoon":
    "The signed list of recipients expires in {days} days (warned {warn} days ahead). After that whistleblowers' browsers refuse this channel. Re-sign it now.",
  "admin.directoryExpired":
    "The signed list of recipients expired {days} days ago: whistleblowers' browsers refuse this channel until it is re-signed.",
  "admin.directoryInvalid":
    "The signed list of recipients of this channel does not verify under this node's key ({reason}). Whistleblowers' browsers refuse it. Open the channel and save it to sign a new one.",
  "admin.directoryResigned":
    "The list of recipients of {name} was re-signed; it is valid for another 180 days.",
  "admin.contextSaved": "The channel was saved and its list of recipients signed.",
  "admin.contextDeleteConfirm":
    "Delete the channel {name}? This only works while it holds no tips.",
  "admin.testMailQueued": "A test mail to {to} is queued. Check that mailbox in a minute.",
  "admin.needsRecipient": "Choose at least one recipient who has logged in once (has a key).",
  "admin.reauth": "Type your own password again to confirm.",
  "admin.twoFactorReset":
    "The second factors of {name} were removed; they were told by mail and must log in again.",
  "admin.smtpSaved":
    "The mail server is saved and used from the next mail on. Send a test mail to check it.",
  "admin.smtpRemoved": "The mail server settings are removed; the relay's SMTP_URL applies again.",
  "admin.templateSaved": "The template is saved.",
  "admin.templateReset": "The template is back to the default.",
  "admin.templateInvalid":
    "Use only the placeholders listed, one line for the subject, at most 200 characters for the subject and 4000 for the text.",
  "admin.noRecipients": "No account has a key yet: recipients get one at their first login.",
  "error.NO_NODE_KEY":
    "Your account does not hold the node keys yet. Another administrator must give them to you.",
  "error.BAD_DIRECTORY":
    "The relay refused the signed list of recipients. Reload the page and save again.",
  "error.WRONG_CODE": "That code is wrong.",
  "error.MANIFEST_REQUIRED":
    "This change is covered by the node's signed manifest, which was not re-signed. Reload the page and save again.",
  "error.BAD_MANIFEST":
    "The relay refused the re-signed node manifest: it does not agree with the settings (the most proof-of-work bits must be at least the anti-spam bits, at most 28). Nothing was changed.",
  "error.STALE_MANIFEST":
    "Another administrator re-signed the node manifest meanwhile. Reload the page and save again.",
  // In the console only re-authentication sends a password.
  "error.WRONG_CREDENTIALS": "That is not your password. Type your own password again.",
}

/** An admin sentence with its `{slots}` filled; falls back to the shared catalogue. */
export function adminMessage(key: string, vars: Record<string, string> = {}): string {
  const text = ADMIN_EN[key] ?? messageFor(key) ?? key
  return text.replace(/\{(\w+)\}/g, (_, name: string) => vars[name] ?? `{${name}}`)
}

/** Readable names of audit actions (the relay's codes are shown beside them). */
export const AUDIT_ACTIONS: Readonly<Record<string, string>> = {
  "node.setup": "Node set up",
  "login.success": "Logged in",
  "login.failure": "Failed login",
  "password.change": "Password changed",
  "password.failure": "Wrong current password",
  "reauth.failure": "Failed re-authentication",
  "user.create": "Account created",
  "user.update": "Account changed",
  "user.delete": "Account deleted",
  "user.admin-wraps": "Node keys given to an admin",
  "escrow.reset": "Password reset with escrow",
  "escrow.policy": "Escrow approvals changed (k-of-n)",
  "escrow.request": "Escrow reset asked for",
  "escrow.approve": "Escrow reset approved",
  "escrow.refuse": "Escrow reset refused",
  "settings.update": "Node settings changed",
  "context.created": "Channel created",
  "context.updated": "Channel changed",
  "context.deleted": "Channel deleted",
  "tip.created": "Tip submitted",
  "tip.updated": "Tip status or labels changed",
  "tip.postponed": "Tip expiry postponed",
  "tip.wiped": "Tip deleted",
  "tip.access.granted": "Tip access granted",
  "tip.access.revoked": "Tip access revoked",
  "comment.added": "Comment added",
  "file.added": "File added",
  "upload.started": "Upload started",
  "upload.abandoned": "Upload abandoned",
  "wb.login": "Whistleblower logged in with receipt",
  "mail.test": "Test mail queued",
  "mail.failed": "Mail given up on",
  "2fa.enrol": "Second factor enrolment started",
  "2fa.enable": "Second factor turned on",
  "2fa.verify": "Second factor proved",
  "2fa.failure": "Wrong second-factor code",
  "2fa.email-code": "Login code mailed",
  "2fa.remove": "Second factor removed",
  "2fa.reset": "Second factors reset by an admin",
}

/** The readable name of an audit action, or the code itself. */
export function auditActionName(action: string): string {
  return AUDIT_ACTIONS[action] ?? action
}

/** What to tell the admin about `error`: the admin catalogue first, then the shared one. */
export function describeAdminError(error: unknown): string {
  return ADMIN_EN[`error.${errorCode(error)}`] ?? describeError(error)
}
