import { createSignal, createUniqueId, type JSX, Show } from "solid-js"
import { messageFor } from "../../lib/messages.js"
import {
  confirmTotp,
  describeFactorError,
  type Enrolled,
  groupSecret,
  startTotp,
} from "../../lib/staffFactors.js"
import { TextField } from "../Field.jsx"
import { AlertText } from "../Notice.jsx"
import { TotpQr } from "./TotpQr.jsx"

/**
 * TOTP enrolment: asks the relay for a fresh secret, shows it as a QR code and as grouped text
 * (copyable), then confirms it with a code from the app. Calls `onEnrolled` with the backup codes.
 */
export function TotpEnrol(props: {
  session: string
  onEnrolled: (done: Enrolled) => void
}): JSX.Element {
  const id = createUniqueId()
  const [pending, setPending] = createSignal<{ secret: string; uri: string }>()
  const [code, setCode] = createSignal("")
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<string>()
  const [note, setNote] = createSignal<string>()

  const start = async () => {
    setBusy(true)
    setError(undefined)
    try {
      setPending(await startTotp(props.session))
    } catch (e) {
      setError(describeFactorError(e))
    } finally {
      setBusy(false)
    }
  }
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(pending()?.secret ?? "")
      setNote(messageFor("factor.secretCopied"))
    } catch {
      setNote(messageFor("factor.copyFailed"))
    }
  }
  const confirm = async (e: Event) => {
    e.preventDefault()
    if (!code().trim()) return setError(messageFor("factor.codeRequired"))
    setBusy(true)
    setError(undefined)
    try {
      const done = await confirmTotp(props.session, code())
      setCode("")
      setPending(undefined)
      props.onEnrolled(done)
    } catch (e) {
      setError(describeFactorError(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section class="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Authenticator app</h2>
      <Show
        when={pending()}
        fallback={
          <button type="button" onClick={start} disabled={busy()}>
            Set up authenticator app
          </button>
        }
      >
        {(p) => (
          <form onSubmit={confirm} novalidate>
            <p>{messageFor("factor.totpExplain")}</p>
            <TotpQr uri={p().uri} label="QR code of your authenticator secret" />
            <p class="recovery-key">
              <span>Secret (if you cannot scan):</span>
              <code data-testid="totp-secret">{groupSecret(p().secret)}</code>
            </p>
            <div class="actions">
              <button type="button" class="secondary" onClick={copy}>
                Copy secret
              </button>
            </div>
            <Show when={note()}>
              <p class="notice" aria-live="polite">
                {note()}
              </p>
            </Show>
            <TextField
              label="6-digit code from the app"
              name="totp-code"
              autocomplete="one-time-code"
              value={code()}
              onInput={setCode}
            />
            <button type="submit" disabled={busy()}>
              Confirm code
            </button>
          </form>
        )}
      </Show>
      <AlertText text={error()} />
    </section>
  )
}
