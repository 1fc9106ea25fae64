import { createResource, type JSX, lazy, Show } from "solid-js"
import { withLater } from "../../i18n/index.js"
import { OUTBOX_DB } from "../../lib/outboxName.js"

// The landing page's window on the outbox: a whistleblower who comes back to the site (not to the
// report page) still sees what this device holds unsent, and sending resumes. The outbox code and
// idb load only when this browser has an outbox database at all, so a first visit stays light.

const Outbox = lazy(async () => {
  const [{ startOutbox }, { OutboxList }] = await Promise.all([
    import("../../lib/outboxSend.js"),
    withLater(import("./Outbox.jsx")),
  ])
  startOutbox()
  return { default: OutboxList }
})

/** Whether this browser has an outbox database (without opening, hence creating, one). */
async function hasOutbox(): Promise<boolean> {
  // indexedDB.databases() is missing in a few older browsers: then only the report page sends.
  const list = await globalThis.indexedDB?.databases?.().catch(() => [])
  return (list ?? []).some((db) => db.name === OUTBOX_DB)
}

/** Pending reports of this device with their send/delete controls; nothing when there are none. */
export function PendingReports(): JSX.Element {
  const [present] = createResource(hasOutbox)
  return (
    <Show when={present()}>
      <Outbox />
    </Show>
  )
}
