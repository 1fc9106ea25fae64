import type { SignedNodeManifest } from "@sotto/crypto-core"
import { createResource, createSignal, type JSX, lazy, Show } from "solid-js"
import { t } from "../../i18n/index.js"
import { crypto } from "../../lib/crypto.js"
import { messageFor } from "../../lib/messages.js"
import { trustManifest } from "../../lib/nodeTrust.js"

// The node key's fingerprint, for a person to compare with what the organisation publishes
// elsewhere (its website, a printed poster): 8 words and the same words as a QR code. Verifying
// the manifest here also pins the key on a first visit, and a changed key is explained at once.
// The words come from the trust worker and the QR code is a lazy chunk loaded when opened: the
// first load stays small.

const Qr = lazy(() => import("../staff/TotpQr.jsx").then((m) => ({ default: m.TotpQr })))

/** Shows the verified node key's fingerprint, or why the node's manifest is not trusted. */
export function NodeFingerprint(props: { manifest: SignedNodeManifest }): JSX.Element {
  const [words] = createResource(
    () => props.manifest,
    async (signed) => {
      const manifest = await trustManifest(signed)
      return crypto().trust.fingerprintWords(manifest.directorySigner)
    },
  )
  // The QR chunk is fetched only when someone opens it, not on every first visit.
  const [qrOpen, setQrOpen] = createSignal(false)
  const problem = () => {
    const e = words.error as { code?: string } | undefined
    return e ? (messageFor(`error.${e.code}`) ?? t("key.unchecked")) : undefined
  }
  return (
    <section class="card" aria-labelledby="node-key">
      <h2 id="node-key">{t("key.title")}</h2>
      <Show when={problem()}>
        {(text) => (
          <p id="node-key-error" role="alert">
            {text()}
          </p>
        )}
      </Show>
      <Show when={words()}>
        {(list) => (
          <>
            <p>{t("key.compare")}</p>
            <p data-testid="node-fingerprint" class="fingerprint">
              <strong>{list().join(" ")}</strong>
            </p>
            <details onToggle={(e) => setQrOpen(e.currentTarget.open)}>
              <summary>{t("key.qr")}</summary>
              <Show when={qrOpen()}>
                <Qr uri={list().join(" ")} label={t("key.qrLabel")} size={180} />
              </Show>
            </details>
          </>
        )}
      </Show>
    </section>
  )
}
