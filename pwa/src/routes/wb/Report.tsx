import { useNavigate, useParams } from "@solidjs/router"
import {
  createEffect,
  createResource,
  createSignal,
  For,
  type JSX,
  onCleanup,
  Show,
} from "solid-js"
import { loadContext, loadNode } from "../../lib/api.js"
import { describeError } from "../../lib/errors.js"
import { messageFor } from "../../lib/messages.js"
import { uploadFile } from "../../lib/upload.js"
import { loadTrustedDirectory } from "../../lib/wbDirectory.js"
import { fill } from "../../lib/wbFiles.js"
import { submitTip } from "../../lib/wbSubmit.js"
import { useWbSession } from "../../store/createWbSession.js"
import { ErrorNotice, ProgressBar } from "../../ui/Notice.jsx"
import { type ReportDraft, ReportForm } from "../../ui/wb/ReportForm.jsx"

interface Bar {
  readonly label: string
  readonly done: number
  readonly total: number
}

/**
 * The report form of one context. Before the form can send, the context's key directory is
 * verified against the node's (pinned) signing key; if it does not verify, an explanation is
 * shown and sending stays off. Sending: receipt keys, tip, proof of work, submit, then each
 * file encrypted and uploaded, with progress; then the receipt page.
 */
export default function Report(): JSX.Element {
  const params = useParams<{ contextId: string }>()
  const navigate = useNavigate()
  const wbSession = useWbSession()
  const [page] = createResource(
    () => params.contextId,
    async (contextId) => {
      const [node, context] = await Promise.all([loadNode(), loadContext(contextId)])
      const trust = await loadTrustedDirectory(contextId, node.signingPublicKey).then(
        (directory) => ({ directory, error: undefined }),
        (error: unknown) => ({ directory: undefined, error }),
      )
      return { node, context, ...trust }
    },
  )
  const [busy, setBusy] = createSignal(false)
  const [bars, setBars] = createSignal<Record<string, Bar>>({})
  const [retrying, setRetrying] = createSignal(false)
  const [error, setError] = createSignal<unknown>()
  const controller = new AbortController()
  onCleanup(() => controller.abort())
  // Leaving while sending would lose the receipt (and files not yet sent): ask the browser to warn.
  const warn = (e: BeforeUnloadEvent) => e.preventDefault()
  createEffect(() => {
    if (busy()) addEventListener("beforeunload", warn)
    else removeEventListener("beforeunload", warn)
  })
  onCleanup(() => removeEventListener("beforeunload", warn))

  const bar = (key: string, label: string, done: number, total: number) =>
    setBars((all) => ({ ...all, [key]: { label, done, total } }))

  const send = async (draft: ReportDraft) => {
    const loaded = page()
    if (!loaded?.directory) return
    const { node, context, directory } = loaded
    setBusy(true)
    setError(undefined)
    let submitted: Awaited<ReturnType<typeof submitTip>>
    try {
      submitted = await submitTip({
        node,
        directory,
        answers: draft.answers,
        signal: controller.signal,
        onProgress: (stage, fraction) =>
          bar(stage, messageFor(`wb.step.${stage}`) ?? stage, fraction, 1),
      })
    } catch (e) {
      setError(e)
      setBusy(false)
      return
    }
    const submittedAt = new Date().toISOString()
    const sent: { name: string; size: number; sha256: string }[] = []
    const unsent: string[] = []
    wbSession.set({ ...submitted, unsentFiles: unsent })
    for (const [i, ready] of draft.files.entries()) {
      const { file, sha256, field } = ready
      const label = fill("wb.step.upload", { name: file.name })
      try {
        await uploadFile({
          session: submitted.session,
          tipId: submitted.tipId,
          tipRecipient: submitted.tipRecipient,
          file,
          meta: { name: file.name, type: file.type, size: file.size, sha256, field },
          signal: controller.signal,
          onProgress: (done, total) => bar(`file-${i}`, label, done, total),
          onRetrying: setRetrying,
        })
        sent.push({ name: file.name, size: file.size, sha256 })
      } catch (e) {
        if (controller.signal.aborted) return
        setRetrying(false)
        setError(e)
        unsent.push(file.name)
      }
    }
    wbSession.update({
      unsentFiles: unsent,
      proof: {
        node: node.name,
        contextId: context.id,
        contextName: context.name,
        tipId: submitted.tipId,
        submittedAt,
        files: sent,
      },
    })
    navigate("/receipt")
  }

  return (
    <Show when={page.error ? undefined : page()} fallback={<ErrorNotice error={page.error} />}>
      {(loaded) => (
        <>
          <h1>Report to {loaded().context.name}</h1>
          <Show when={loaded().context.description}>
            <p>{loaded().context.description}</p>
          </Show>
          <Show
            when={loaded().directory}
            fallback={
              <div class="notice error" role="alert" id="trust-error">
                <p>{describeError(loaded().error)}</p>
                <p>{messageFor("wb.blocked")}</p>
              </div>
            }
          >
            {(d) => (
              <p>
                <small>
                  Only{" "}
                  {d()
                    .recipients.map((r) => r.name)
                    .join(", ")}{" "}
                  will be able to read your report. Their keys were checked against this node's
                  signature.
                </small>
              </p>
            )}
          </Show>
          <ReportForm
            context={loaded().context}
            blocked={!loaded().directory}
            busy={busy()}
            onSend={(draft) => void send(draft)}
          >
            <For each={Object.entries(bars())}>
              {([, b]) => <ProgressBar label={b.label} done={b.done} total={b.total} />}
            </For>
            <Show when={retrying()}>
              <p class="notice warn" role="status" aria-live="polite">
                {messageFor("wb.retrying")}
              </p>
            </Show>
            <ErrorNotice error={error()} />
          </ReportForm>
        </>
      )}
    </Show>
  )
}
