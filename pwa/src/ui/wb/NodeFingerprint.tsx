import type { SignedNodeManifest } from "@sotto/crypto-core"
import { createResource, createSignal, type JSX, lazy, Show } from "solid-js"
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
    return e
      ? (messageFor(`error.${e.code}`) ?? "This node's key could not be checked.")
      : undefined
  }
  return (
    <section class="card" aria-labelledby="node-key">
      <h2 id="node-key">Check this node's key</h2>
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
            <p>
              Compare these words with the ones the organisation publishes elsewhere. If they
              differ, do not report here.
            </p>
            <p data-testid="node-fingerprint" class="fingerprint">
              <strong>{list().join(" ")}</strong>
            </p>
            <details onToggle={(e) => setQrOpen(e.currentTarget.open)}>
              <summary>Show as a QR code</summary>
              <Show when={qrOpen()}>
                <Qr
                  uri={list().join(" ")}
                  label="The node key's fingerprint as a QR code"
                  size={180}
                />
              </Show>
            </details>
          </>
        )}
      </Show>
    </section>
  )
}
