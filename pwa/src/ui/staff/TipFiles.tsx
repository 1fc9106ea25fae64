import { createSignal, createUniqueId, For, type JSX, Show } from "solid-js"
import { saveBlob } from "../../lib/download.js"
import { formatBytes, formatTime } from "../../lib/format.js"
import { messageFor } from "../../lib/messages.js"
import { decryptTipFile } from "../../lib/staffFiles.js"
import type { OpenFile, OpenTip } from "../../lib/staffTips.js"
import { authorVerified, EntryProblems } from "../EntryProblems.jsx"
import { ErrorNotice, ProgressBar } from "../Notice.jsx"

/** The files of a tip with their decrypted names, sizes and fingerprints; download decrypts. */
export function TipFiles(props: {
  session: string
  tip: OpenTip
  nameOf: (author: string) => string
}): JSX.Element {
  const id = createUniqueId()
  const [progress, setProgress] = createSignal<{ name: string; done: number; total: number }>()
  const [error, setError] = createSignal<unknown>()
  const [checked, setChecked] = createSignal<Record<string, boolean | undefined>>({})

  const download = async (file: OpenFile) => {
    setError(undefined)
    setProgress({ name: file.meta.name, done: 0, total: file.meta.size ?? file.size })
    try {
      const result = await decryptTipFile(props.session, props.tip, file, (done, total) =>
        setProgress({ name: file.meta.name, done, total }),
      )
      setChecked((c) => ({ ...c, [file.id]: result.matches }))
      saveBlob(result.blob, file.meta.name)
    } catch (e) {
      setError(e)
    } finally {
      setProgress(undefined)
    }
  }
  return (
    <section class="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Files</h2>
      <ul class="plain" data-testid="files">
        <For each={props.tip.files} fallback={<li>No files.</li>}>
          {(f) => (
            <li class="file-item">
              <strong>{f.meta.name}</strong>
              <small>
                {formatBytes(f.meta.size ?? f.size)} · {f.meta.type ?? "unknown type"} · from{" "}
                {authorVerified(f) ? props.nameOf(f.signedBy ?? "") : "Unverified sender"} ·{" "}
                {formatTime(f.createdAt)}
              </small>
              <EntryProblems check={f} />
              <Show when={f.meta.sha256}>
                <small class="hash">SHA-256 {f.meta.sha256}</small>
              </Show>
              <Show when={checked()[f.id] !== undefined}>
                <small class={checked()[f.id] ? "" : "field-error"}>
                  {checked()[f.id]
                    ? "Downloaded file matches this fingerprint."
                    : "The downloaded file does NOT match this fingerprint."}
                </small>
              </Show>
              <Show when={f.complete} fallback={<small>Still uploading.</small>}>
                <button
                  type="button"
                  class="secondary"
                  disabled={progress() !== undefined}
                  onClick={() => download(f)}
                >
                  Download {f.meta.name}
                </button>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={progress()}>
        {(p) => (
          <ProgressBar
            label={(messageFor("staff.step.download") ?? "").replace("{name}", p().name)}
            done={p().done}
            total={p().total}
          />
        )}
      </Show>
      <ErrorNotice error={error()} />
    </section>
  )
}
