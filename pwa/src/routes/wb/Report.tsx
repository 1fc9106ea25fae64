import { useNavigate, useParams } from "@solidjs/router"
import {
  createEffect,
  createResource,
  createSignal,
  For,
  type JSX,
  lazy,
  onCleanup,
  onMount,
  Show,
} from "solid-js"
import { ensureLater, language, t, withLater } from "../../i18n/index.js"
import { loadContext, loadNode } from "../../lib/api.js"
import { afterAppReady, markAppReady } from "../../lib/appReady.js"
import { crypto } from "../../lib/crypto.js"
import { describeError, errorCode } from "../../lib/errors.js"
import { readFacts, saveFacts } from "../../lib/outboxDb.js"
import { saveToOutbox } from "../../lib/outboxSeal.js"
import { fillReceiptPool, takePreparedReceipt } from "../../lib/receiptPool.js"
import { uploadFile } from "../../lib/upload.js"
import { DirectoryError, loadTrustedDirectory, readPin } from "../../lib/wbDirectory.js"
import { fill } from "../../lib/wbFiles.js"
import { type SealedTip, type Submitted, sealTip, sendSealedTip } from "../../lib/wbSubmit.js"
import { wbMetaSealer } from "../../lib/wbTip.js"
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
 * file encrypted and uploaded, with progress; then the receipt page. With no connection (or
 * when sending fails on the network) the sealed report and its files, sealed too, go to the
 * outbox in IndexedDB and the receipt is shown as not yet sent; the form itself comes from the
 * public facts kept on this device when it was last opened online.
 */
// The outbox's sender and list load once the form is ready (lib/appReady.ts): a first visit
// on a slow link gets the form first.
const outboxSend = () => import("../../lib/outboxSend.js")
const OutboxList = lazy(() =>
  withLater(import("../../ui/wb/Outbox.jsx")).then((m) => ({ default: m.OutboxList })),
)

export default function Report(): JSX.Element {
  const params = useParams<{ contextId: string }>()
  const navigate = useNavigate()
  const wbSession = useWbSession()
  const [page] = createResource(
    () => params.contextId,
    async (contextId) => {
      try {
        // Node facts, context and directory in one round trip (a slow link pays each one).
        const nodeFacts = loadNode()
        const [node, context, trust] = await Promise.all([
          nodeFacts,
          loadContext(contextId),
          loadTrustedDirectory(contextId, nodeFacts).then(
            (directory) => ({ directory, error: undefined }),
            (error: unknown) => ({ directory: undefined, error }),
          ),
        ])
        if (errorCode(trust.error) === "NETWORK") throw trust.error
        if (trust.directory) {
          void saveFacts({
            contextId,
            node,
            context,
            directory: trust.directory,
            savedAt: Date.now(),
          })
        }
        return { node, context, ...trust, cached: false }
      } catch (error) {
        // No connection: the form as this device kept it, checked when it was kept.
        const facts = errorCode(error) === "NETWORK" ? await readFacts(contextId) : undefined
        // Kept before the signed manifest was kept with it: no signed receipt settings to seal with.
        if (!facts?.directory.manifest) throw error
        // Kept under a node key this browser no longer trusts: refuse as the online check would.
        const pin = await readPin()
        if (pin !== undefined && pin !== facts.directory.manifest?.directorySigner) {
          throw new DirectoryError("NODE_KEY_CHANGED", "the kept node key differs from the pin")
        }
        const { node, context, directory } = facts
        return { node, context, directory, error: undefined, cached: true }
      }
    },
  )
  const [offline, setOffline] = createSignal(!navigator.onLine)
  const [storeError, setStoreError] = createSignal<string>()
  // On an OPRF node the receipt's keys need one evaluation by the relay (SPEC §16): receipts are
  // prepared at the first online moment (lib/receiptPool.ts), so reports can then be sealed (and
  // kept in the outbox) without a connection.
  const prepareAhead = () => {
    const manifest = page()?.directory?.manifest
    return manifest ? fillReceiptPool(manifest) : undefined
  }
  const onLine = () => {
    setOffline(!navigator.onLine)
    prepareAhead()
  }
  addEventListener("online", onLine)
  addEventListener("offline", onLine)
  onCleanup(() => {
    removeEventListener("online", onLine)
    removeEventListener("offline", onLine)
  })
  // The form is usable once its keys were checked (or it says why not): then the deferred work.
  createEffect(() => {
    if (page.state === "ready" || page.state === "errored") markAppReady()
  })
  const [later, setLater] = createSignal(false)

  // Set once the warm-up below has finished: from then on the form works offline to the end.
  const [offlineReady, setOfflineReady] = createSignal(false)
  onMount(() => afterAppReady(warmUp))
  const warmUp = () => {
    setLater(true)
    const jobs: Promise<unknown>[] = [
      outboxSend().then(({ startOutbox }) => startOutbox()),
      ensureLater(),
    ]
    // Start the workers (each answers a cheap call once its code has loaded) and fetch the
    // receipt page while online, so sealing and showing the receipt still work if the connection
    // drops before sending.
    const receipt = prepareAhead()
    if (receipt) jobs.push(receipt)
    if (navigator.onLine) {
      const { kdf, pow, tip } = crypto()
      const pool = crypto().filePool(1)
      jobs.push(
        import("./Receipt.jsx"),
        kdf.drawSalt(),
        pow.powBinding("submitTip", {}),
        tip.createTipIdentity(),
        pool.run((remote) => remote.sha256(new Uint8Array(0))).finally(() => pool.terminate()),
      )
    }
    void Promise.allSettled(jobs).then(() => setOfflineReady(true))
  }
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
    setStoreError(undefined)
    const onProgress = (stage: "keys" | "pow" | "send", fraction: number) =>
      bar(stage, t(`wb.step.${stage}`), fraction, 1)
    let sealed: SealedTip
    let submitted: Submitted | undefined
    try {
      // The receipt's salt and cost come from directory.manifest (signed), online and offline.
      // A prepared receipt is used once; a failed send then draws a new one.
      const ready = await takePreparedReceipt(directory.manifest)
      sealed = await sealTip({
        directory,
        questions: context.questionnaire,
        answers: draft.answers,
        signal: controller.signal,
        onProgress,
        ...(ready ? { prepared: ready } : {}),
      })
      if (navigator.onLine && !loaded.cached) {
        const bounds = directory.manifest.pow
        const res = await sendSealedTip(sealed.body, bounds, onProgress, controller.signal).catch(
          (e: unknown) => {
            // Lost on the network: keep it in the outbox rather than lose the report.
            if (errorCode(e) === "NETWORK") return undefined
            throw e
          },
        )
        if (res) {
          const { receipt, tipIdentity, tipRecipient, receiptIdentity, head } = sealed
          submitted = { ...res, receipt, tipIdentity, tipRecipient, receiptIdentity, head }
        }
      }
    } catch (e) {
      setError(e)
      setBusy(false)
      return
    }
    if (!submitted) return keep(sealed, draft, loaded.context.name, node.name)
    const submittedAt = new Date().toISOString()
    const sent: { name: string; size: number; sha256: string }[] = []
    const unsent: string[] = []
    wbSession.set({ ...submitted, unsentFiles: unsent })
    const sealMeta = wbMetaSealer(submitted, submitted.head)
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
          sealMeta,
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

  /** Seals the files too and puts everything in the outbox; the receipt shows as not yet sent. */
  const keep = async (
    sealed: SealedTip,
    draft: ReportDraft,
    contextName: string,
    nodeName: string,
  ) => {
    let outboxId: string
    try {
      outboxId = await saveToOutbox({
        sealed,
        contextName,
        files: draft.files.map(({ file, sha256, field }) => ({
          file,
          meta: { name: file.name, type: file.type, size: file.size, sha256, field },
        })),
        onProgress: (i, done, total) => {
          const name = draft.files[i]?.file.name ?? ""
          bar(`file-${i}`, t("outbox.sealing", { name }), done, total)
        },
      })
    } catch (e) {
      if (e instanceof DOMException) setStoreError(t("outbox.storageRefused"))
      else setError(e)
      setBusy(false)
      return
    }
    wbSession.set({
      session: "",
      tipId: "",
      tipIdentity: sealed.tipIdentity,
      tipRecipient: sealed.tipRecipient,
      receiptIdentity: sealed.receiptIdentity,
      receipt: sealed.receipt,
      outboxId,
      unsentFiles: [],
      proof: {
        node: nodeName,
        contextId: sealed.body.contextId,
        contextName,
        tipId: "",
        submittedAt: new Date().toISOString(),
        files: draft.files.map(({ file, sha256 }) => ({
          name: file.name,
          size: file.size,
          sha256,
        })),
      },
    })
    setBusy(false)
    void outboxSend().then(({ requestSync }) => requestSync())
    navigate("/receipt")
  }

  return (
    <Show
      when={page.error ? undefined : page()}
      fallback={
        <>
          <ErrorNotice error={page.error} />
          <Show when={page.error && offline()}>
            <p class="notice warn">{t("outbox.noCopy")}</p>
          </Show>
        </>
      }
    >
      {(loaded) => (
        <>
          <h1 data-offline-ready={offlineReady() ? "yes" : "no"}>
            {t("report.title", { name: loaded().context.name })}
          </h1>
          <Show when={offline() || loaded().cached}>
            <p class="notice warn" role="status" id="offline-note">
              {t("outbox.offlineForm")}
              <Show when={loaded().cached}> {t("outbox.cachedForm")}</Show>
            </p>
          </Show>
          <Show when={loaded().context.description}>
            <p>{loaded().context.description}</p>
          </Show>
          <Show
            when={loaded().directory}
            fallback={
              <div class="notice error" role="alert" id="trust-error">
                <p>{describeError(loaded().error)}</p>
                <p>{t("wb.blocked")}</p>
              </div>
            }
          >
            {(d) => (
              <p data-keys-checked>
                <small>
                  {t("report.readers", {
                    names: new Intl.ListFormat(language(), { type: "conjunction" }).format(
                      d().recipients.map((r) => r.name),
                    ),
                  })}
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
                {t("wb.retrying")}
              </p>
            </Show>
            <ErrorNotice error={error()} />
            <Show when={storeError()}>
              <p class="notice error" role="alert">
                {storeError()}
              </p>
            </Show>
          </ReportForm>
          <Show when={later()}>
            <OutboxList />
          </Show>
        </>
      )}
    </Show>
  )
}
