import { accounts } from "@sotto/protocol"
import { createResource, type JSX, Show } from "solid-js"
import { relay } from "../../lib/api.js"
import { crypto } from "../../lib/crypto.js"
import { trustManifest } from "../../lib/nodeTrust.js"
import { readManifestPin } from "../../lib/trustStore.js"
import { ErrorNotice } from "../Notice.jsx"

// The node key's fingerprint on the staff account page, in the same words as the landing page,
// after checking the served manifest against the key this browser pinned at its first login: a
// person compares the words with what the organisation publishes; a changed key is explained.

/** What the check found: the words, the version now pinned and whether a pin existed before. */
interface NodeKeyView {
  readonly words: string[]
  readonly version: number
  readonly pinnedBefore: boolean
}

async function checkNodeKey(): Promise<NodeKeyView> {
  const before = await readManifestPin()
  const manifest = await trustManifest((await relay.call(accounts.getNode)).manifest)
  const words = await crypto().tip.fingerprintWords(manifest.directorySigner)
  return { words, version: manifest.version, pinnedBefore: before !== undefined }
}

/** The node key's fingerprint words, checked against this browser's pin. */
export function NodeKeyCheck(): JSX.Element {
  const [view] = createResource(checkNodeKey)
  return (
    <section aria-labelledby="node-key-staff">
      <h2 id="node-key-staff">This node's key</h2>
      <ErrorNotice error={view.error} />
      {/* An errored resource throws when read: only read it when it holds a value. */}
      <Show when={view.error === undefined ? view.latest : undefined}>
        {(v) => (
          <>
            <p data-testid="node-fingerprint-staff" class="fingerprint">
              <strong>{v().words.join(" ")}</strong>
            </p>
            <p class="muted" data-testid="node-key-pin">
              {v().pinnedBefore
                ? `The same key this browser pinned at your first login here (signed node description, version ${v().version}).`
                : `This browser pinned this key now (signed node description, version ${v().version}).`}{" "}
              Compare the words with the ones your organisation publishes; if they differ, stop and
              tell your administrators through another channel.
            </p>
          </>
        )}
      </Show>
    </section>
  )
}
