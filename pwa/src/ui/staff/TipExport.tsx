import { createSignal, createUniqueId, type JSX, Show } from "solid-js"
import { saveBlob } from "../../lib/download.js"
import { messageFor } from "../../lib/messages.js"
import { exportTip } from "../../lib/staffFiles.js"
import type { OpenTip } from "../../lib/staffTips.js"
import { ErrorNotice, ProgressBar } from "../Notice.jsx"

/**
 * Exports the whole tip (answers, comments, files in a ZIP) encrypted to a key the user gives:
 * an age recipient or an armored OpenPGP public key. Made in the tip worker.
 */
export function TipExport(props: {
  session: string
  tip: OpenTip
  nameOf: (author: string) => string
  /** The exporter's account identity: the whistleblower's identity is exported only if held. */
  reader?: string
}): JSX.Element {
  const id = createUniqueId()
  const [kind, setKind] = createSignal<"age" | "pgp">("age")
  const [key, setKey] = createSignal("")
  const [progress, setProgress] = createSignal<{ done: number; total: number }>()
  const [error, setError] = createSignal<unknown>()
  const [note, setNote] = createSignal<string>()

  const submit = async (e: Event) => {
    e.preventDefault()
    if (!key().trim()) return setError({ code: "BAD_INPUT" })
    setError(undefined)
    setNote(undefined)
    setProgress({ done: 0, total: 1 })
    try {
      const target =
        kind() === "age"
          ? { kind: "age" as const, recipient: key() }
          : { kind: "pgp" as const, armoredKey: key() }
      const out = await exportTip(
        props.session,
        props.tip,
        target,
        props.nameOf,
        (done, total) => setProgress({ done, total }),
        props.reader || undefined,
      )
      saveBlob(out.blob, out.fileName)
      setNote(messageFor("staff.exported")?.replace("{name}", out.fileName))
    } catch (e) {
      setError(e)
    } finally {
      setProgress(undefined)
    }
  }
  return (
    <section class="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Export</h2>
      <form onSubmit={submit}>
        <div class="field">
          <label for={`${id}-kind`}>Encrypt the export with</label>
          <select
            id={`${id}-kind`}
            value={kind()}
            onChange={(e) => setKind(e.currentTarget.value as "age" | "pgp")}
          >
            <option value="age">age (a recipient age1…)</option>
            <option value="pgp">OpenPGP (an armored public key)</option>
          </select>
        </div>
        <div class="field">
          <label for={`${id}-key`}>
            {kind() === "age" ? "age recipient" : "OpenPGP public key"}
          </label>
          <textarea
            id={`${id}-key`}
            value={key()}
            onInput={(e) => setKey(e.currentTarget.value)}
            spellcheck={false}
          />
        </div>
        <button type="submit" disabled={progress() !== undefined}>
          Export tip
        </button>
      </form>
      <Show when={progress()}>
        {(p) => (
          <ProgressBar
            label={messageFor("staff.step.export") ?? ""}
            done={p().done}
            total={p().total}
          />
        )}
      </Show>
      <Show when={note()}>
        <p class="notice ok" aria-live="polite">
          {note()}
        </p>
      </Show>
      <ErrorNotice error={error()} />
    </section>
  )
}
