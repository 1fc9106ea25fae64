import { createSignal, createUniqueId, For, type JSX, Show } from "solid-js"
import { saveText } from "../../lib/download.js"
import { messageFor } from "../../lib/messages.js"
import { backupCodesText } from "../../lib/staffFactors.js"
import { AlertText } from "../Notice.jsx"

/**
 * Shows freshly made backup codes once (list, download as .txt) and lets the user continue only
 * after ticking "I saved them". The relay keeps only their hashes: they cannot be shown again.
 */
export function BackupCodesStep(props: {
  codes: readonly string[]
  username: string
  /** Label of the continue button. */
  action: string
  onConfirmed: () => void
}): JSX.Element {
  const id = createUniqueId()
  const [saved, setSaved] = createSignal(false)
  const [error, setError] = createSignal<string>()
  const [note, setNote] = createSignal<string>()

  const download = () => {
    saveText(
      backupCodesText(props.username, props.codes),
      `sotto-backup-codes-${props.username}.txt`,
    )
    setNote(messageFor("factor.backupDownloaded"))
  }
  const submit = (e: Event) => {
    e.preventDefault()
    if (!saved()) return setError(messageFor("factor.backupNotConfirmed"))
    setError(undefined)
    props.onConfirmed()
  }
  return (
    <section class="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Your backup codes</h2>
      <p>{messageFor("factor.backupExplain")}</p>
      <ul data-testid="backup-codes" aria-label="Backup codes">
        <For each={props.codes}>
          {(code) => (
            <li>
              <code>{code}</code>
            </li>
          )}
        </For>
      </ul>
      <div class="actions">
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
            id={id}
            type="checkbox"
            checked={saved()}
            onChange={(e) => setSaved(e.currentTarget.checked)}
          />
          <label for={id}>I saved them</label>
        </div>
        <AlertText text={error()} />
        <button type="submit">{props.action}</button>
      </form>
    </section>
  )
}
