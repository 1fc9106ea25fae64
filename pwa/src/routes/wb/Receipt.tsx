import { A } from "@solidjs/router"
import { createSignal, type JSX, onCleanup, onMount, Show } from "solid-js"
import { t } from "../../i18n/index.js"
import { onOutbox, startOutbox } from "../../lib/outboxSend.js"
import { type SubmissionProof, useWbSession } from "../../store/createWbSession.js"
import { OutboxList } from "../../ui/wb/Outbox.jsx"

/** The proof file's text: public facts of the submission, and the receipt only when asked. */
export function proofText(proof: SubmissionProof, receipt: string | undefined): string {
  return `${JSON.stringify(
    {
      proofOfSubmission: 1,
      node: proof.node,
      context: { id: proof.contextId, name: proof.contextName },
      submittedAt: proof.submittedAt,
      tipId: proof.tipId,
      files: proof.files.map((f) => ({ name: f.name, size: f.size, sha256: f.sha256 })),
      ...(receipt ? { receipt } : {}),
    },
    null,
    2,
  )}\n`
}

/**
 * Shown once, right after submitting: the receipt, large, with copy, a warning that it cannot be
 * recovered, a downloadable proof of submission (receipt left out unless ticked) and the way on.
 * A report kept in the outbox shows its receipt at once, marked not yet sent, and turns
 * confirmed when the outbox has delivered it (and only then offers the proof and the report).
 */
export default function Receipt(): JSX.Element {
  const wbSession = useWbSession()
  const pending = () => Boolean(wbSession.state()?.outboxId)
  onMount(() => {
    onCleanup(
      onOutbox((event) => {
        if (event.type !== "delivered" || event.id !== wbSession.state()?.outboxId) return
        const proof = wbSession.state()?.proof
        wbSession.update({
          outboxId: undefined,
          tipId: event.tipId,
          session: event.session,
          expiresAt: event.expiresAt,
          ...(proof ? { proof: { ...proof, tipId: event.tipId } } : {}),
        })
      }),
    )
    startOutbox()
  })
  const [copied, setCopied] = createSignal<string>()
  const [includeReceipt, setIncludeReceipt] = createSignal(false)
  const urls: string[] = []
  onCleanup(() => {
    for (const url of urls) URL.revokeObjectURL(url)
  })

  const copy = async (receipt: string) => {
    try {
      await navigator.clipboard.writeText(receipt)
      setCopied(t("wb.copied"))
    } catch {
      setCopied(t("wb.copyFailed"))
    }
  }

  const download = (proof: SubmissionProof, receipt: string) => {
    const text = proofText(proof, includeReceipt() ? receipt : undefined)
    const url = URL.createObjectURL(new Blob([text], { type: "application/json" }))
    urls.push(url)
    const link = document.createElement("a")
    link.href = url
    link.download = `proof-of-submission-${proof.tipId.slice(0, 8)}.json`
    link.click()
  }

  return (
    <Show
      when={wbSession.state()?.receipt}
      fallback={
        <section>
          <h1>{t("receipt.noneTitle")}</h1>
          <p>
            {t("receipt.noneText")} <A href="/return">{t("receipt.noneLink")}</A>
          </p>
        </section>
      }
    >
      {(receipt) => (
        <section aria-labelledby="receipt-title">
          <h1 id="receipt-title">{pending() ? t("receipt.savedTitle") : t("receipt.sentTitle")}</h1>
          <p>{t("receipt.intro")}</p>
          <p class="receipt" id="receipt">
            {receipt()}
          </p>
          <p
            id="receipt-state"
            data-receipt-state={pending() ? "pending" : "confirmed"}
            class={pending() ? "notice warn" : "notice"}
            role="status"
            aria-live="polite"
          >
            {pending() ? `${t("outbox.notSent")} ${t("outbox.saved")}` : t("outbox.confirmed")}
          </p>
          <div class="actions">
            <button type="button" onClick={() => void copy(receipt())}>
              {t("receipt.copy")}
            </button>
          </div>
          <p role="status" aria-live="polite">
            {copied()}
          </p>
          <p class="notice warn" role="note">
            <strong>{t("receipt.keepSafe")} </strong>
            {t("wb.receiptWarning")}
          </p>
          <Show when={(wbSession.state()?.unsentFiles ?? []).length > 0}>
            <p class="notice error" role="alert">
              {t("receipt.unsent", { names: (wbSession.state()?.unsentFiles ?? []).join(", ") })}
            </p>
          </Show>
          <Show when={pending() ? undefined : wbSession.state()?.proof}>
            {(proof) => (
              <section class="card" aria-labelledby="proof-title">
                <h2 id="proof-title">{t("receipt.proofTitle")}</h2>
                <p>{t("receipt.proofText")}</p>
                <label class="check">
                  <input
                    type="checkbox"
                    checked={includeReceipt()}
                    onChange={(e) => setIncludeReceipt(e.currentTarget.checked)}
                  />{" "}
                  {t("receipt.includeReceipt")}
                </label>
                <div class="actions">
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => download(proof(), receipt())}
                  >
                    {t("receipt.download")}
                  </button>
                </div>
              </section>
            )}
          </Show>
          <OutboxList />
          <div class="actions" hidden={pending()}>
            <A
              class="button"
              href="/my-report"
              onClick={() => wbSession.update({ receipt: undefined })}
            >
              {t("receipt.continue")}
            </A>
          </div>
        </section>
      )}
    </Show>
  )
}
