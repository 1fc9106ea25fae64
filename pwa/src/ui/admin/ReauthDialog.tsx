import { createSignal, type JSX, onMount, Show } from "solid-js"
import type { AdminKeys } from "../../lib/adminKeys.js"
import { reauthKey } from "../../lib/adminKeys.js"
import { adminMessage } from "../../lib/adminMessages.js"
import { ProgressBar } from "../Notice.jsx"
import { AdminError } from "./AdminShell.jsx"

/**
 * Re-authentication for a sensitive action: the admin types their password again, the KDF worker
 * derives the auth key (with progress), and `onConfirm` gets it (the relay checks it). Errors of
 * `onConfirm` (a wrong password is 401 WRONG_CREDENTIALS) are shown here.
 */
export function ReauthDialog(props: {
  admin: AdminKeys
  title: string
  /** A sentence under the title (what the action does). */
  note?: string
  action: string
  onConfirm: (authKey: string) => Promise<void>
  onCancel: () => void
}): JSX.Element {
  const [password, setPassword] = createSignal("")
  const [progress, setProgress] = createSignal<number>()
  const [error, setError] = createSignal<unknown>()
  let input: HTMLInputElement | undefined
  onMount(() => input?.focus())
  const submit = async (e: Event) => {
    e.preventDefault()
    setError(undefined)
    setProgress(0)
    try {
      const key = await reauthKey(props.admin, password(), (f) => setProgress(f))
      await props.onConfirm(key)
    } catch (err) {
      setError(err)
    } finally {
      setProgress(undefined)
      setPassword("")
    }
  }
  return (
    <form class="card" aria-label={props.title} onSubmit={submit}>
      <h3>{props.title}</h3>
      <Show when={props.note}>
        <p>{props.note}</p>
      </Show>
      <div class="field">
        <label for="reauth-password">{adminMessage("admin.reauth")}</label>
        <input
          ref={input}
          id="reauth-password"
          type="password"
          autocomplete="current-password"
          value={password()}
          required
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
      </div>
      <Show when={progress() !== undefined}>
        <ProgressBar label="Checking your password" done={progress() ?? 0} total={1} />
      </Show>
      <AdminError error={error()} />
      <p class="actions">
        <button type="submit" disabled={progress() !== undefined || password() === ""}>
          {props.action}
        </button>
        <button type="button" class="secondary" onClick={() => props.onCancel()}>
          Cancel
        </button>
      </p>
    </form>
  )
}
