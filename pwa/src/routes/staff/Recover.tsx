import { A, useNavigate } from "@solidjs/router"
import { createSignal, createUniqueId, type JSX, Show } from "solid-js"
import { messageFor } from "../../lib/messages.js"
import { pathForStage } from "../../lib/staffFactors.js"
import { describeRecoveryError, recoverWithKey } from "../../lib/staffRecovery.js"
import { useStaffSession } from "../../store/createStaffSession.js"
import { TextField } from "../../ui/Field.jsx"
import { AlertText } from "../../ui/Notice.jsx"

/**
 * A forgotten password: log in with the recovery key shown at the first login. The key is read
 * and used in the account worker; only the answer to the relay's challenge is sent. Then the
 * second factor (if any) on /staff/second-factor and a new password on /staff/password.
 */
export default function Recover(): JSX.Element {
  const navigate = useNavigate()
  const staff = useStaffSession()
  const keyId = createUniqueId()
  const [username, setUsername] = createSignal("")
  const [recoveryKey, setRecoveryKey] = createSignal("")
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<string>()

  const submit = async (e: Event) => {
    e.preventDefault()
    if (!username().trim() || !recoveryKey().trim()) {
      return setError(messageFor("recover.required"))
    }
    setError(undefined)
    setBusy(true)
    try {
      const state = await recoverWithKey(username().trim(), recoveryKey())
      setRecoveryKey("")
      staff.set(state)
      navigate(pathForStage(state.stage), { replace: true })
    } catch (e) {
      setError(describeRecoveryError(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <>
      <h1>Log in with your recovery key</h1>
      <form class="card" onSubmit={submit} novalidate>
        <p>{messageFor("recover.explain")}</p>
        <TextField
          label="Username"
          autocomplete="username"
          name="username"
          required
          value={username()}
          onInput={setUsername}
        />
        <div class="field">
          <label for={keyId}>
            Recovery key
            <span class="req" aria-hidden="true">
              {" "}
              *
            </span>
          </label>
          <textarea
            id={keyId}
            name="recovery-key"
            required
            rows={3}
            spellcheck={false}
            autocapitalize="characters"
            autocomplete="off"
            aria-invalid={error() ? "true" : undefined}
            aria-describedby={`${keyId}-help`}
            value={recoveryKey()}
            onInput={(e) => setRecoveryKey(e.currentTarget.value)}
          />
          <small id={`${keyId}-help`}>{messageFor("recover.keyHelp")}</small>
        </div>
        <AlertText text={error()} />
        <Show when={busy()}>
          <p class="muted" aria-live="polite">
            {messageFor("recover.checking")}
          </p>
        </Show>
        <button type="submit" disabled={busy()}>
          Continue
        </button>
      </form>
      <p>
        <A href="/staff">Back to the login</A>
      </p>
    </>
  )
}
