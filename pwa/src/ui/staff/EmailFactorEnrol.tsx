import { createSignal, createUniqueId, type JSX, Show } from "solid-js"
import { messageFor } from "../../lib/messages.js"
import {
  confirmEmail,
  describeFactorError,
  type Enrolled,
  mailCode,
} from "../../lib/staffFactors.js"
import { TextField } from "../Field.jsx"
import { AlertText } from "../Notice.jsx"

/**
 * E-mail codes as a factor: "Send code" mails one to the account's address, the user types it,
 * and e-mail is on. Explains instead when the account has no address or the node no mail.
 */
export function EmailFactorEnrol(props: {
  session: string
  /** From `GET /auth/2fa`: the account has an address and the node sends mail. */
  available: boolean
  onEnrolled: (done: Enrolled) => void
}): JSX.Element {
  const id = createUniqueId()
  const [sent, setSent] = createSignal(false)
  const [code, setCode] = createSignal("")
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<string>()

  const send = async () => {
    setBusy(true)
    setError(undefined)
    try {
      await mailCode(props.session)
      setSent(true)
    } catch (e) {
      setError(describeFactorError(e))
    } finally {
      setBusy(false)
    }
  }
  const confirm = async (e: Event) => {
    e.preventDefault()
    if (!code().trim()) return setError(messageFor("factor.codeRequired"))
    setBusy(true)
    setError(undefined)
    try {
      const done = await confirmEmail(props.session, code())
      setCode("")
      setSent(false)
      props.onEnrolled(done)
    } catch (e) {
      setError(describeFactorError(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section class="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>E-mail codes</h2>
      <Show when={props.available} fallback={<p>{messageFor("factor.emailUnavailable")}</p>}>
        <p>{messageFor("factor.emailExplain")}</p>
        <div class="actions">
          <button type="button" class="secondary" onClick={send} disabled={busy()}>
            {sent() ? "Send another code" : "Send code"}
          </button>
        </div>
        <Show when={sent()}>
          <p class="notice ok" aria-live="polite">
            {messageFor("factor.emailSent")}
          </p>
          <form onSubmit={confirm} novalidate>
            <TextField
              label="8-digit code from the e-mail"
              name="email-code"
              autocomplete="one-time-code"
              value={code()}
              onInput={setCode}
            />
            <button type="submit" disabled={busy()}>
              Turn on e-mail codes
            </button>
          </form>
        </Show>
      </Show>
      <AlertText text={error()} />
    </section>
  )
}
