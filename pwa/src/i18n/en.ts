import type { LaterKey } from "./later/en.js"

// The whistleblower's English catalogue for the first visit (header, footer, landing page, report
// form, every error): the source every other language translates, bundled in the entry chunk
// (other languages are lazy chunks; the later pages' sentences are in later/, i18n/index.ts).
// `{{name}}` slots are filled by the caller; keys ending in a plural category (`.one`, `.other`…)
// are chosen with Intl.PluralRules. Staff and admin pages are still English-only (lib/messages.ts).

/** The first visit's whistleblower-facing sentences, keyed by a stable name. */
export const en = {
  "lang.label": "Language",
  "layout.skip": "Skip to content",
  "layout.loading": "Loading…",
  "layout.footer": "Sotto · everything you type is encrypted in this browser",
  "layout.build": "build {{build}}",
  "layout.unsigned": "unsigned development build",
  "layout.manifest": "code manifest {{hash}}",
  "layout.check": "check it",
  "app.updateReady": "A new version is ready —",
  "app.updateRefused":
    "Warning: this node served unsigned code. The version you already have keeps running in this tab: keep it open, do not reload or clear this app's data, and tell the organisation.",
  "landing.title": "Report safely to {{name}}",
  "landing.intro":
    "What you write and the files you add are encrypted in this browser before they leave it. Only the people who receive reports can read them; this server cannot.",
  "landing.channels": "Choose where to report",
  "landing.noChannels": "No reporting channel is open yet.",
  "landing.reportTo": "Report to {{name}}",
  "landing.backTitle": "Already reported?",
  "landing.backText": "Use your receipt to read replies and add information.",
  "landing.login": "Log in with your receipt",
  "landing.staff": "Staff login",
  "landing.verify": "Check the code you are running",
  "key.title": "Check this node's key",
  "key.unchecked": "This node's key could not be checked.",
  "key.compare":
    "Compare these words with the ones the organisation publishes elsewhere. If they differ, do not report here.",
  "key.qr": "Show as a QR code",
  "key.qrLabel": "The node key's fingerprint as a QR code",
  "report.title": "Report to {{name}}",
  "report.readers":
    "Only {{names}} will be able to read your report. Their keys were checked against this node's signature.",
  "form.requiredNote": "Questions marked * need an answer; the others are optional.",
  "form.maxFiles.one": "You can attach up to {{count}} file.",
  "form.maxFiles.other": "You can attach up to {{count}} files.",
  "form.noFiles": "This channel does not accept files.",
  "form.attachments": "Attachments",
  "form.attachmentsHelp": "Documents, photos or other files.",
  "form.optional": "(optional)",
  "form.choose": "Choose…",
  "form.send": "Send report",
  "form.identityNote":
    "About your identity: sealed apart. Only the channel's custodians can read it; a recipient sees it only if a custodian approves their written request, and your report page tells you if that happened. You may leave it empty.",
  "file.list": "Files for {{label}}",
  "file.hashing": "Computing SHA-256… {{percent}}%",
  "file.remove": "Remove {{name}}",
  "file.unreadable": "This file could not be read. Remove it and attach it again.",
  "outbox.offlineForm":
    "You are offline. You can still write your report and attach files: it will be encrypted, saved on this device and sent when the connection returns.",
  "outbox.cachedForm":
    "This form was saved on this device earlier; its recipients' keys were checked against this node's signature then.",
  "outbox.sealing": "Encrypting {{name}} on this device",
  "outbox.storageRefused":
    "This browser does not let the page save the report on this device (private mode or no space), so it cannot be kept for later. Connect to the internet and send it again.",
  "outbox.noCopy":
    "You are offline and this form was never opened on this device while online, so it cannot be filled in now. Open it once with a connection.",
  "verify.howTo": "How to check the code",
  "error.NETWORK":
    "The node could not be reached. Check your connection (or Tor) and try again; nothing was lost.",
  "error.UNKNOWN": "Something went wrong.",
  "error.FILE_CHANGED":
    "A file changed on your device after you attached it, so it was not sent. Remove it and attach it again.",
  "error.WRONG_KEY": "That key does not open this. Check it and try again.",
  "error.TIP_NOT_BOUND":
    "The server handed this page a report that was not made with your receipt: its signature does not match the key your receipt gives. Nothing was shown and nothing was sent. The server may be compromised: do not write anything here, and contact the organisation another way.",
  "error.TAMPERED":
    "This data was changed after it was encrypted, so it was not opened. Tell the organisation.",
  "error.RATE_LIMITED": "Too many attempts on this node right now. Wait a minute and try again.",
  "error.QUOTA_EXCEEDED": "This report holds as much as it may. Nothing more can be added to it.",
  "error.INSUFFICIENT_STORAGE":
    "This node is short of disk space and takes nothing new for now. Try again later.",
  "error.BUDGET_EXCEEDED":
    "This channel or node holds as much as it may for now and takes nothing new. Try again later.",
  "error.SESSION_EXPIRED": "Your session ended. Please log in again.",
  "error.UNAUTHENTICATED": "Your session ended. Please log in again.",
  "error.FORBIDDEN": "You are not allowed to do this.",
  "error.NOT_FOUND": "This no longer exists on the node (it may have expired or been deleted).",
  "error.BAD_POW": "The anti-spam check expired. Please send again.",
  "error.BAD_RECEIPT_FORMAT":
    "That is not a receipt of this node. Type it exactly as it was shown to you (spaces do not matter).",
  "error.BAD_SIGNATURE":
    "The list of recipients for this channel is not signed by this node's key. For your safety nothing was sent. Try again later and tell the organisation through another channel.",
  "error.KEY_MISMATCH":
    "The list of recipients for this channel is signed by a different key than this node's. For your safety nothing was sent. Try again later and tell the organisation through another channel.",
  "error.BAD_DIRECTORY":
    "The list of recipients for this channel does not verify. For your safety nothing was sent.",
  "error.WEAK_PARAMS":
    "The node asked for key-derivation settings below its signed minimum, which would make a password easier to guess; nothing was done.",
  "error.VALIDATION": "Some of what was sent is not valid. Check the highlighted fields.",
  "error.CONFLICT": "This conflicts with something already stored. Reload and try again.",
  "error.PAYLOAD_TOO_LARGE": "This is larger than the node accepts.",
  "error.NOT_SET_UP": "This node has not been set up yet.",
  "error.ABORTED": "Cancelled.",
  "error.NODE_KEY_CHANGED":
    "This node's signing key is not the one this browser trusted on an earlier visit. The server may have been taken over, so for your safety nothing was sent. Tell the organisation through another channel.",
  "error.MANIFEST_STALE":
    "This node's signed description is older than one this browser saw before: the server may be replaying an old version. For your safety nothing was sent. Tell the organisation through another channel.",
  "error.MANIFEST_FORGED":
    "This node's signed description does not verify under its key: the server may have been tampered with. For your safety nothing was sent. Tell the organisation through another channel.",
  "error.DIRECTORY_STALE":
    "The list of recipients for this channel is older than one this browser saw before: the server may be replaying an old list (perhaps with someone removed since). For your safety nothing was sent. Tell the organisation through another channel.",
  "error.DIRECTORY_EXPIRED":
    "The list of recipients for this channel has expired: the organisation has not renewed it. For your safety nothing was sent. Try again later and tell the organisation through another channel.",
  "error.COSTLY_PARAMS":
    "The node asked for key-derivation settings above its signed limit (they could freeze this device); nothing was done.",
  "error.POW_OUT_OF_BOUNDS":
    "The node asked this device for an anti-spam check outside the limits it signed (one that could keep this device busy for hours or days). For your safety nothing was sent. Try again later and tell the organisation through another channel.",
  "error.DIRECTORY_CONTEXT":
    "The list of recipients served for this channel belongs to another channel. For your safety nothing was sent. Try again later and tell the organisation through another channel.",
  "error.NO_RECIPIENTS":
    "This channel has no recipients yet, so a report cannot be sent to it. Try again later.",
  "error.HASH_MISMATCH": "A piece of a file arrived damaged; it is being sent again.",
  "error.INCOMPLETE_UPLOAD": "A file did not arrive completely. Send it again.",
  "error.NO_SESSION": "Log in with your receipt first.",
  "error.OPRF_KEY_MISMATCH":
    "The server answered the password or receipt check with a key this node has not signed: it may have been taken over. For your safety nothing derived from what you typed was sent. Do not retry; tell the organisation through another channel.",
  "error.OPRF_BAD_PROOF":
    "The server's answer to the password or receipt check came without a valid proof: it may have been tampered with. For your safety nothing derived from what you typed was sent. Do not retry; tell the organisation through another channel.",
  "error.OPRF_DOWNGRADE":
    "The server asked this browser to use an older, weaker way of checking your password or receipt than it used here before: it may have been taken over. For your safety nothing derived from what you typed was sent. Tell the organisation through another channel.",
  "error.OPRF_OFFLINE":
    "This node protects receipts with a check on the server, so making or using a receipt needs the connection for a moment. Connect and try again; what you wrote is still in the form.",
  "error.WRONG_RECEIPT":
    "No report matches this receipt. Check each digit and try again; it cannot be recovered if it is lost.",
  "wb.required": "Please answer this question.",
  "wb.fixErrors": "Some answers need your attention: see the highlighted fields.",
  "wb.blocked": "Sending is switched off on this page for your safety.",
  "wb.harmful":
    "This type of file can harm the recipients' computers (it can run programs). Send it only if it is needed; it will still be sent.",
  "wb.tooManyFiles.one": "This channel accepts at most {{max}} file in all. Remove some.",
  "wb.tooManyFiles.other": "This channel accepts at most {{max}} files in all. Remove some.",
  "wb.fileTooLarge": "{{name}} is larger than the {{max}} this channel accepts per file.",
  "wb.retrying": "Connection lost, retrying…",
  "wb.step.keys": "Making the keys for your receipt",
  "wb.step.pow": "Anti-spam check",
  "wb.step.send": "Sending your encrypted report",
  "wb.step.upload": "Encrypting and sending {{name}}",
} as const

/** A key of the first visit's catalogue. */
export type CoreKey = keyof typeof en

/** A key of the whistleblower's catalogues, first visit or later pages. */
export type MessageKey = CoreKey | LaterKey

/**
 * A complete catalogue: every key of English, each a sentence in that language, plus the plural
 * categories English lacks (Arabic's `.zero`, `.two`, `.few`, `.many`…).
 */
export type Catalogue = { readonly [K in CoreKey]: string } & Readonly<Record<string, string>>
