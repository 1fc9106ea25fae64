import { lookup } from "../i18n/index.js"

// The English sentences of the staff, setup and admin pages, keyed by a stable code. The
// whistleblower's sentences (and the errors a whistleblower can see) live in the translated
// catalogues of i18n/, which messageFor consults first.

const EN: Readonly<Record<string, string>> = {
  "error.WRONG_CREDENTIALS": "That username and password do not match. Check both and try again.",
  "error.TIP_BINDING_FAILED":
    "This tip's binding does not verify: the server may have replaced its key or its answers. Nothing of it is shown; tell an administrator.",
  "error.LOCKED": "Too many failed attempts: this account is locked for a while. Try again later.",
  "error.FILE_MISMATCH":
    "The decrypted file does not match the fingerprint its sender recorded, so it was not saved (the browser shows the download as failed). Tell the node's administrators.",
  "error.BAD_RECOVERY_KEY": "That is not a valid recovery key. Check it for typos.",
  "error.ALREADY_SET_UP": "This node is already set up.",
  "wb.step.hash": "Computing the fingerprint of {name}",
  // Setup wizard and staff area (routes/setup, routes/staff, lib/staff*).
  "error.BAD_INPUT": "This is not valid input: check it (a key pasted only in part, for example).",
  "staff.required": "Please fill this in.",
  "staff.usernameInvalid":
    "Use 2 to 64 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit.",
  "staff.weakPassword":
    "This password is too easy to guess (strength {score} of 4; this node needs at least {min}, because it protects the keys to every tip you can read).",
  "staff.passwordTooShort":
    "This password is too short: this node needs at least {min} characters.",
  "staff.passwordMismatch": "The two passwords differ. Type the same password twice.",
  "staff.recoveryExplain":
    "This recovery key opens your account if you forget your password. It is shown only now and nobody can show it to you again. Save it offline: print it, write it down or keep it in a password manager.",
  "staff.recoveryCopied": "Recovery key copied to the clipboard.",
  "staff.recoveryCopyFailed": "Copying did not work here: select the key and copy it by hand.",
  "staff.recoveryDownloaded": "Recovery key saved as a text file. Move it somewhere safe.",
  "staff.recoveryNotConfirmed":
    "Please confirm that you saved your recovery key: without it a forgotten password may lock you out for good.",
  "staff.recoveryMismatch":
    "That is not the end of your recovery key. Type its last two groups exactly as shown.",
  "staff.step.keys": "Making your keys in this browser",
  "staff.step.login": "Checking your password in this browser",
  "staff.retryIn": "You can try again in {time}.",
  "staff.loginRequired": "Type your username and your password.",
  "staff.lockedOffer":
    "This account is locked after too many wrong passwords. If it is yours, log in with your password and a code from your authenticator app or a backup code, or use your recovery key.",
  "staff.lockedLegend": "Your account is locked",
  "staff.lockedHelp":
    "The lock keeps password guessers out, not you: your password together with a second-factor code still logs in.",
  "staff.lockedTotp": "Code from my authenticator app",
  "staff.lockedBackup": "Backup code",
  "staff.lockedTotpCode": "Your authenticator code",
  "staff.lockedBackupCode": "Your backup code",
  "staff.lockedCodeRequired": "Type the code from your authenticator app or a backup code.",
  "staff.lockedRecovery": "No code at hand? Log in with your recovery key",
  "staff.lockedSubmit": "Log in with password and code",
  "staff.firstExplain":
    "Choose your own password: the one you were given works only once. Your keys are then made in this browser and you get a recovery key.",
  "staff.resetExplain":
    "An administrator reset your password. Choose a new one: your keys stay as they were.",
  // Recovery-key login (routes/staff/Recover, lib/staffRecovery).
  "staff.recoveredExplain":
    "You opened your account with your recovery key. Choose a new password: your keys, your tips and your recovery key stay as they were.",
  "recover.explain":
    "Forgot your password? Type your username and the recovery key you saved at your first login. It is checked in this browser and never sent.",
  "recover.keyHelp":
    "As it was shown: groups of four characters (spaces, dashes and case do not matter), or the whole AGE-SECRET-KEY-1… line.",
  "recover.required": "Type your username and your recovery key.",
  "recover.checking": "Checking your recovery key in this browser…",
  "recover.badKey": "This recovery key has a typo: {detail}",
  "recover.wrongKey":
    "This recovery key does not open that account. Check the username, and that this is the key saved for it.",
  "recover.expired": "That took too long. Press Continue again.",
  "recover.badChallenge":
    "The server sent something other than a recovery challenge, so nothing was sent back and your key stays safe. The server may be compromised: tell your administrator and do not try again.",
  "setup.adminExplain":
    "This account runs the node. Its password protects the node's keys, which are made in this browser and never leave it unencrypted.",
  "setup.escrowExplain":
    "With escrow, administrators hold a key that can reset a colleague's forgotten password (every use is logged and the colleague is told). Without escrow, nobody can: a lost password together with a lost recovery key means the tips of that account can no longer be read.",
  "setup.escrowOn": "On: administrators can reset a lost password (recommended)",
  "setup.escrowOff": "Off: only the password or the recovery key can open an account",
  "staff.inboxEmpty": "No tips yet. New tips appear here by themselves.",
  "staff.inboxMore": "Load more tips",
  "staff.inboxLoading": "Loading tips…",
  "staff.live": "Live: new tips appear by themselves.",
  "staff.liveRetrying": "Connection lost; reconnecting…",
  "staff.liveEnded": "Live updates stopped. Reload the page to see new tips.",
  "staff.step.download": "Downloading and decrypting {name}",
  "staff.step.export": "Decrypting and packing the tip for export",
  "staff.deleteConfirm":
    "Delete this tip for everyone? Its answers, comments and files are destroyed and cannot be recovered.",
  "staff.commentSent": "Your comment was sent.",
  "staff.saved": "Saved.",
  "staff.granted": "{name} can now read this tip.",
  "staff.revoked": "{name} can no longer read this tip.",
  "staff.postponed": "The tip now expires on {date}.",
  "staff.noColleagues": "Nobody else in this channel's signed list of recipients can be added.",
  "staff.exported": "Export saved as {name}.",
  "staff.noIdentity": "Your keys are not open in this tab. Log in again.",
  // Second factors (routes/staff/Account, routes/staff/SecondFactor, lib/staffFactors).
  "error.WRONG_CODE":
    "That code is wrong or has expired. Check it and try again (an app's code changes every 30 seconds; a mailed code lasts 10 minutes).",
  "error.CODE_REUSED":
    "This code was already used. Wait until your app shows the next one (at most 30 seconds) and type that.",
  "error.SECOND_FACTOR_REQUIRED": "Confirm your second factor first.",
  "error.SECOND_FACTOR_ENROLMENT_REQUIRED":
    "Your role requires a second factor. Set one up first (Set up a second factor); until then tips stay closed.",
  "error.PASSWORD_CHANGE_REQUIRED": "Choose your new password first.",
  "factor.verifyExplain":
    "Your account has a second factor. Confirm it is you with one of the ways below.",
  "factor.enrolExplain":
    "Your role requires a second factor: set up an authenticator app, a security key or e-mail codes to continue. Nothing else opens until then.",
  "factor.totpExplain":
    "Scan the QR code with an authenticator app (or type the secret into it), then type the 6-digit code it shows.",
  "factor.emailExplain":
    "We mail an 8-digit code to the address on your account; type it here. A code lasts 10 minutes and works once.",
  "factor.emailSent": "A code was mailed to you. It is valid for 10 minutes.",
  "factor.emailUnavailable":
    "E-mail codes need an e-mail address on your account and mail switched on for this node. Ask an administrator.",
  "factor.noAddress":
    "Your account has no e-mail address, so no code can be mailed. Ask an administrator to add one, or use another way.",
  "factor.mailOff":
    "This node does not send mail, so no code can be mailed. Ask an administrator, or use another way.",
  "factor.removeRequired":
    "Your role requires a second factor: set up another one before removing this one.",
  "factor.removed": "The second factor was removed.",
  "factor.mailLimited":
    "A code can be mailed once a minute and five times an hour. Use the last code mailed to you, or wait.",
  "factor.backupExplain":
    "These backup codes each log you in once when your app or e-mail is not at hand. They are shown only now: download or write them down and keep them offline.",
  "factor.backupNotConfirmed": "Please confirm that you saved your backup codes.",
  "factor.backupDownloaded": "Backup codes saved as a text file. Move it somewhere safe.",
  "factor.secretCopied": "Secret copied to the clipboard.",
  "factor.copyFailed": "Copying did not work here: select the secret and copy it by hand.",
  "factor.codeRequired": "Type the code first.",
  "factor.passwordRequired": "Type your current password to confirm.",
  "factor.step.reauth": "Checking your password in this browser",
  // Security keys and passkeys (ui/staff/WebAuthn*.tsx, lib/staffWebAuthn.ts).
  "webauthn.explain":
    "A security key (USB or NFC) or a passkey on this device confirms it is you with a touch. You can add several; give each a name you recognise.",
  "webauthn.nameRequired": "Give the key a name first, for example Desk key.",
  "webauthn.added": "Security key added.",
  "webauthn.removed": "Security key removed.",
  "webauthn.unsupported":
    "This browser cannot use security keys or passkeys. Use another way, or another browser.",
  "webauthn.cancelled":
    "The security key did not answer, or the request was cancelled or timed out. Try again and touch the key when it blinks.",
  "webauthn.duplicate": "This security key is already registered on your account.",
  "webauthn.insecure":
    "Security keys only work when this site is opened over https (or on localhost). Ask an administrator.",
  "webauthn.refused":
    "The security key's answer was not accepted (an old request, or a key not registered here). Try again, or use another way.",
  "webauthn.waiting": "Touch your security key or confirm on your device…",
  "webauthn.loadFailed":
    "The security key support could not be loaded. Check the connection and try again.",
}

/**
 * The sentence for `key`: the whistleblower's catalogue in the current language first, then the
 * staff pages' English; undefined when neither has it.
 */
export function messageFor(key: string): string | undefined {
  return lookup(key) ?? EN[key]
}
