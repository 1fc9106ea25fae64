// The whistleblower's English sentences of the pages after the report form (receipt, receipt
// login, the report page with its conversation, the outbox, the code check): a lazy chunk fetched
// once the form is ready or such a page opens, so the first visit does not carry them.

/** The later pages' sentences, keyed like en.ts. */
const enLater = {
  "receipt.noneTitle": "No receipt to show",
  "receipt.noneText": "A receipt is shown only once, right after a report is sent.",
  "receipt.noneLink": "If you have yours, log in with it.",
  "receipt.savedTitle": "Your report is saved on this device",
  "receipt.sentTitle": "Your report was sent",
  "receipt.intro":
    "This is your receipt. You need it to read replies and to add information later.",
  "receipt.copy": "Copy receipt",
  "receipt.keepSafe": "Keep it safe.",
  "receipt.unsent": "These files could not be sent: {{names}}. You can add them from your report.",
  "receipt.proofTitle": "Proof of submission",
  "receipt.proofText":
    "A small file with the node, channel, time, report number and the SHA-256 of your files. It does not contain your answers.",
  "receipt.includeReceipt":
    "Include my receipt in the file (anyone who finds the file can then read your report)",
  "receipt.download": "Download proof of submission",
  "receipt.continue": "Continue to my report",
  "return.intro": "Type the receipt you were given when you sent your report.",
  "return.label": "Receipt",
  "return.help": "Spaces and dashes do not matter.",
  "return.submit": "Log in",
  "tip.title": "Your report",
  "tip.status": "Status",
  "tip.notAcknowledged": "Not acknowledged yet.",
  "tip.acknowledged": "Acknowledged on {{date}}.",
  "tip.identityDisclosed":
    "Your identity was disclosed to a recipient, with a custodian's approval.",
  "tip.identityKept": "Your identity has not been disclosed to any recipient.",
  "tip.received": "Received on {{created}}; last activity {{updated}}.",
  "tip.deleteOn": "It will be deleted on {{date}} unless the recipients keep it longer.",
  "tip.messages": "Messages",
  "tip.files": "Files",
  "tip.answers": "Your answers",
  "tip.logout": "Log out",
  "thread.none": "No messages yet.",
  "thread.unverified": "Unverified sender",
  "thread.you": "You",
  "thread.recipient": "Recipient",
  "thread.noFiles": "No files.",
  "thread.incomplete": "incomplete",
  "thread.write": "Write to the recipients",
  "thread.send": "Send message",
  "addFiles.full": "This report has as many files as its channel accepts.",
  "addFiles.label": "Add files",
  "addFiles.more.one": "Up to {{count}} more.",
  "addFiles.more.other": "Up to {{count}} more.",
  "addFiles.send": "Send files",
  "entry.FORGED": "This message does not verify (forged or damaged): its content is not shown.",
  "entry.UNKNOWN_SIGNER":
    "This message is signed by a key that is not one of this report's participants.",
  "entry.AUTHOR_MISMATCH":
    "The server labels the author of this message differently from its signature.",
  "entry.DUPLICATE": "The server delivered this message more than once; this is a copy.",
  "entry.OUT_OF_ORDER":
    "The server delivered this message out of the order in which it was written.",
  "entry.FORK":
    "Another message claims the same place in the conversation: written at the same time, or inserted.",
  "entry.GAP": "Messages are missing before this one: the server withheld them.",
  "entry.UNSEEN":
    "This was written without seeing an earlier message of the other side: written at the same time, or the server kept that message back.",
  "entry.BROKEN_CHAIN":
    "This message does not follow the message before it: the conversation was altered.",
  "outbox.title": "Saved on this device",
  "outbox.none": "No report is waiting to be sent.",
  "outbox.item": "Report to {{name}}, saved {{date}}",
  "outbox.files.one": "{{count}} file",
  "outbox.files.other": "{{count}} files",
  "outbox.delete": "Delete",
  "outbox.deleteLabel": "Delete the report saved {{date}}",
  "outbox.saved": "Saved on this device, will be sent when online.",
  "outbox.notSent": "Not yet sent.",
  "outbox.confirmed": "Confirmed: the node received your report.",
  "outbox.sending": "Sending…",
  "outbox.waiting": "Waiting for a connection",
  "outbox.deleted": "The saved report was deleted from this device. It will not be sent.",
  "verify.title": "Check the code you are running",
  "verify.intro":
    "Everything you type is encrypted by code this node sends to your browser. Each official release lists every file with its fingerprint in a manifest signed by the Sotto project.",
  "verify.notInstalled": "This browser has not installed the app yet, so there is no hash to show.",
  "verify.installed": "The app in this browser was installed with the code manifest",
  "verify.noManifest": "(none: the node served no manifest)",
  "verify.signed": "It is signed by a Sotto release key.",
  "verify.unsigned": "It is NOT signed: an unsigned development build.",
  "verify.refused":
    "This node offered code that failed the release check. Keep this tab open and tell the organisation.",
  "verify.step1":
    "Compare the hash above with the one the organisation or the Sotto project publishes.",
  "verify.step2":
    "Or, from a computer, run the command below (add --socks5 127.0.0.1:9050 for an onion address): it checks every file and header against the signed manifest and says which differ.",
  "verify.step3":
    "The installed app checks every update itself and shows a red warning instead of an update whose code is not signed.",
  "verify.command": "npx sotto-verify <address of this node>",
  "verify.firstVisit":
    "A first visit from a fresh browser has to trust the node, as with any web page; these checks turn a substituted page into something that can be detected.",
  "wb.status.new": "Your report has arrived and is waiting to be read.",
  "wb.status.open": "The recipients are working on your report.",
  "wb.status.closed":
    "The recipients have closed this report. You can still read and write here until it is deleted.",
  "wb.receiptWarning":
    "Write this receipt down or keep it in a password manager now. It is the only way back to your report and it cannot be recovered: nobody, not even the recipients, can look it up for you.",
  "wb.copied": "Receipt copied to the clipboard.",
  "wb.copyFailed": "Copying did not work here: select the receipt and copy it by hand.",
  "wb.commentSent": "Your message was sent.",
  "wb.fileSent": "{{name}} was sent.",
  "wb.live": "This page updates by itself when the recipients answer.",
} as const

export default enLater

/** A key of the later pages' catalogue. */
export type LaterKey = keyof typeof enLater

/** A complete later catalogue (plural categories English lacks allowed), as en.ts's Catalogue. */
export type LaterCatalogue = { readonly [K in LaterKey]: string } & Readonly<Record<string, string>>
