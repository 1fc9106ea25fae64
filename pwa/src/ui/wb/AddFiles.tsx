import type { Json } from "@sotto/crypto-core"
import { createSignal, type JSX, onCleanup, Show } from "solid-js"
import { t, tp } from "../../i18n/index.js"
import { uploadFile } from "../../lib/upload.js"
import { fill, limitProblem } from "../../lib/wbFiles.js"
import { ErrorNotice, ProgressBar } from "../Notice.jsx"
import { createAttachments } from "./attachments.js"
import { FilePicker } from "./FilePicker.jsx"

/**
 * Adding files to a tip already sent: pick, see each SHA-256, send (encrypted to the tip, with
 * progress and retries), then `onSent` so the page can refresh its file list.
 */
export function AddFiles(props: {
  session: string
  tipId: string
  tipRecipient: string
  /** Seals each file's metadata as the whistleblower's next transcript entry. */
  sealMeta: () => (meta: Json) => Promise<string>
  /** Files the context still accepts (0: none) and their largest size. */
  limits: { maxFiles: number; maxFileBytes: number }
  onSent: () => void
}): JSX.Element {
  const attachments = createAttachments()
  const [busy, setBusy] = createSignal(false)
  const [progress, setProgress] = createSignal<{ label: string; done: number; total: number }>()
  const [retrying, setRetrying] = createSignal(false)
  const [error, setError] = createSignal<unknown>()
  const [status, setStatus] = createSignal<string>()
  const controller = new AbortController()
  onCleanup(() => controller.abort())
  const limit = () =>
    limitProblem(
      attachments.all().map((a) => a.file),
      props.limits,
    )

  const send = async (e: SubmitEvent) => {
    e.preventDefault()
    if (busy() || limit() || attachments.all().length === 0) return
    setBusy(true)
    setError(undefined)
    setStatus(undefined)
    try {
      const sealMeta = props.sealMeta()
      for (const { file, sha256 } of await attachments.ready()) {
        const label = fill("wb.step.upload", { name: file.name })
        await uploadFile({
          session: props.session,
          tipId: props.tipId,
          tipRecipient: props.tipRecipient,
          file,
          meta: { name: file.name, type: file.type, size: file.size, sha256 },
          sealMeta,
          signal: controller.signal,
          onProgress: (done, total) => setProgress({ label, done, total }),
          onRetrying: setRetrying,
        })
        setStatus(fill("wb.fileSent", { name: file.name }))
      }
      attachments.clear()
      props.onSent()
    } catch (e) {
      if (!controller.signal.aborted) setError(e)
    } finally {
      setRetrying(false)
      setBusy(false)
    }
  }

  return (
    <form noValidate onSubmit={send}>
      <Show when={props.limits.maxFiles > 0 || busy()} fallback={<p>{t("addFiles.full")}</p>}>
        <FilePicker
          id="add-files"
          label={t("addFiles.label")}
          help={tp("addFiles.more", props.limits.maxFiles)}
          disabled={busy()}
          files={attachments.byField.add ?? []}
          onAdd={(files) => attachments.add("add", files)}
          onRemove={(key) => attachments.remove("add", key)}
        />
        <Show when={limit()}>
          <p class="notice error" role="alert">
            {limit()}
          </p>
        </Show>
      </Show>
      <Show when={progress()}>
        {(p) => <ProgressBar label={p().label} done={p().done} total={p().total} />}
      </Show>
      <Show when={retrying()}>
        <p class="notice warn" role="status" aria-live="polite">
          {t("wb.retrying")}
        </p>
      </Show>
      <p role="status" aria-live="polite">
        {status()}
      </p>
      <ErrorNotice error={error()} />
      <Show when={attachments.all().length > 0}>
        <div class="actions">
          <button type="submit" disabled={busy()}>
            {t("addFiles.send")}
          </button>
        </div>
      </Show>
    </form>
  )
}
