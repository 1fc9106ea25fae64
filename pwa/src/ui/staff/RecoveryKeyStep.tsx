import { createSignal, createUniqueId, type JSX, Show } from "solid-js"
import { saveText } from "../../lib/download.js"
import { messageFor } from "../../lib/messages.js"
import { TextField } from "../Field.jsx"
import { AlertText } from "../Notice.jsx"

/** The last two groups of a grouped recovery key, which the user re-types to prove they have it. */
export function lastGroups(grouped: string): string {
  return grouped.trim().split(/\s+/).slice(-2).join(" ")
}

const squash = (s: string) => s.replace(/\s+/g, "").toUpperCase()

/**
 * Shows a freshly made recovery key once (copy, download as .txt) and lets the user continue
 * only after ticking "I saved it" and re-typing its last two groups.
 */
export function RecoveryKeyStep(props: {
  grouped: string
  username: string
  nodeName?: string | undefined
  /** Label of the continue button. */
  action: string
  busy?: boolean
  onConfirmed: () => void
}): JSX.Element {
  const checkId = createUniqueId()
  const [saved, setSaved] = createSignal(false)
  const [typed, setTyped] = createSignal("")
  const [error, setError] = createSignal<string>()
  const [note, setNote] = createSignal<string>()

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.grouped)
      setNote(messageFor("staff.recoveryCopied"))
    } catch {
      setNote(messageFor("staff.recoveryCopyFailed"))
    }
  }
  const download = () => {
    const text = [
      `Sotto recovery key for ${props.username}${props.nodeName ? ` on ${props.nodeName}` : ""}`,
      "",
      props.grouped,
      "",
      "Keep this file offline (printed, or in a password manager). With it you can open your",
      "account if you forget your password. Anyone who has it and your password's account can",
      "read what you can read.",
      "",
    ].join("\n")
    saveText(text, `sotto-recovery-key-${props.username}.txt`)
    setNote(messageFor("staff.recoveryDownloaded"))
  }
  const submit = (e: Event) => {
    e.preventDefault()
    if (!saved()) return setError(messageFor("staff.recoveryNotConfirmed"))
    if (squash(typed()) !== squash(lastGroups(props.grouped)))
      return setError(messageFor("staff.recoveryMismatch"))
    setError(undefined)
    props.onConfirmed()
  }
  return (
    <section class="card" aria-labelledby={`${checkId}-h`}>
      <h2 id={`${checkId}-h`}>Your recovery key</h2>
      <p>{messageFor("staff.recoveryExplain")}</p>
      <p class="recovery-key" data-testid="recovery-key">
        <code>{props.grouped}</code>
      </p>
      <div class="actions">
        <button type="button" class="secondary" onClick={copy}>
          Copy
        </button>
        <button type="button" class="secondary" onClick={download}>
          Download as .txt
        </button>
      </div>
      <Show when={note()}>
        <p class="notice" aria-live="polite">
          {note()}
        </p>
      </Show>
      <form onSubmit={submit} novalidate>
        <div class="field check">
          <input
            id={checkId}
            type="checkbox"
            checked={saved()}
            onChange={(e) => setSaved(e.currentTarget.checked)}
          />
          <label for={checkId}>I have saved my recovery key somewhere safe</label>
        </div>
        <TextField
          label="Type the last two groups of your recovery key"
          value={typed()}
          onInput={setTyped}
          help="This checks that you really have it: it is not shown again."
        />
        <AlertText text={error()} />
        <button type="submit" disabled={props.busy}>
          {props.action}
        </button>
      </form>
    </section>
  )
}
