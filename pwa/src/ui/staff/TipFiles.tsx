import { createSignal, createUniqueId, For, type JSX, Show } from "solid-js"
import { formatBytes, formatTime } from "../../lib/format.js"
import { messageFor } from "../../lib/messages.js"
import { openSaveSink, SaveCancelledError, type SaveVia } from "../../lib/saveStream.js"
import { saveTipFile } from "../../lib/staffFiles.js"
import type { OpenFile, OpenTip } from "../../lib/staffTips.js"
import { authorVerified, EntryProblems } from "../EntryProblems.jsx"
import { ErrorNotice, ProgressBar } from "../Notice.jsx"

/**
 * The files of a tip with their decrypted names, sizes and fingerprints. Download decrypts and
 * writes to disk as it goes (lib/saveStream.ts), with progress and a Cancel button.
 */
export function TipFiles(props: {
  session: string
  tip: OpenTip
  nameOf: (author: string) => string
}): JSX.Element {
  const id = createUniqueId()
  const [progress, setProgress] = createSignal<{
    name: string
    done: number
    total: number
    via?: SaveVia
  }>()
  const [error, setError] = createSignal<unknown>()
  const [checked, setChecked] = createSignal<Record<string, boolean | undefined>>({})
  let stop: AbortController | undefined

  const download = async (file: OpenFile) => {
    setError(undefined)
    const total = file.meta.size ?? file.size
    setProgress({ name: file.meta.name, done: 0, total })
    stop = new AbortController()
    try {
      // First, while the click still counts as the user's gesture (the save dialog needs it).
      const sink = await openSaveSink(file.meta.name, file.meta.size)
      setProgress({ name: file.meta.name, done: 0, total, via: sink.via })
      const result = await saveTipFile(
        props.session,
        props.tip,
        file,
        sink,
        (done, total) => setProgress({ name: file.meta.name, done, total, via: sink.via }),
        stop.signal,
      )
      setChecked((c) => ({ ...c, [file.id]: result.matches }))
    } catch (e) {
      if (e instanceof SaveCancelledError || stop.signal.aborted) return
      if ((e as { code?: unknown }).code === "FILE_MISMATCH") {
        setChecked((c) => ({ ...c, [file.id]: false }))
      }
      setError(e)
    } finally {
      stop = undefined
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
                    : "The downloaded file does NOT match this fingerprint, so it was not saved."}
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
          <div data-save-via={p().via ?? ""}>
            <ProgressBar
              label={`${(messageFor("staff.step.download") ?? "").replace("{name}", p().name)} · ${formatBytes(p().done)} of ${formatBytes(p().total)}`}
              done={p().done}
              total={p().total}
            />
            <button type="button" class="secondary" onClick={() => stop?.abort()}>
              Cancel download
            </button>
          </div>
        )}
      </Show>
      <ErrorNotice error={error()} />
    </section>
  )
}
