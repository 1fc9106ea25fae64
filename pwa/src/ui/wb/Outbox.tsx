import { createResource, createSignal, For, type JSX, onCleanup, Show } from "solid-js"
import { describeError } from "../../lib/errors.js"
import { formatTime } from "../../lib/format.js"
import { listSubmissions } from "../../lib/outboxDb.js"
import { outboxMessage } from "../../lib/outboxMessages.js"
import { deletePending, onOutbox } from "../../lib/outboxSend.js"

/**
 * The reports saved on this device and not yet delivered, each with its state and a Delete
 * button. Nothing secret is listed: the channel, when it was saved and how many files.
 */
export function OutboxList(): JSX.Element {
  const [pending, { refetch }] = createResource(() => listSubmissions().catch(() => []))
  const [sending, setSending] = createSignal<string>()
  const [notice, setNotice] = createSignal<string>()
  onCleanup(
    onOutbox((event) => {
      if (event.type === "sending") setSending(event.id)
      else void refetch()
    }),
  )
  const remove = async (id: string) => {
    await deletePending(id)
    setNotice(outboxMessage("outbox.deleted"))
  }
  return (
    <Show when={(pending.latest ?? []).length > 0 || notice()}>
      <section class="card" aria-labelledby="outbox-title" id="outbox">
        <h2 id="outbox-title">Saved on this device</h2>
        <p role="status" aria-live="polite">
          {notice()}
        </p>
        <Show
          when={(pending.latest ?? []).length > 0}
          fallback={<p>No report is waiting to be sent.</p>}
        >
          <p>{outboxMessage("outbox.saved")}</p>
          <ul class="outbox-list">
            <For each={pending.latest ?? []}>
              {(s) => (
                <li class="outbox-item" data-outbox-id={s.id}>
                  <span>
                    Report to {s.contextName}, saved {formatTime(s.createdAt)}
                    {s.files.length > 0 ? `, ${s.files.length} file(s)` : ""}:{" "}
                  </span>
                  <strong data-outbox-state={s.failed ? "failed" : "pending"}>
                    {s.failed
                      ? describeError({ code: s.failed })
                      : sending() === s.id
                        ? outboxMessage("outbox.sending")
                        : outboxMessage("outbox.waiting")}
                  </strong>{" "}
                  <button
                    type="button"
                    class="secondary"
                    aria-label={`Delete the report saved ${formatTime(s.createdAt)}`}
                    onClick={() => void remove(s.id)}
                  >
                    Delete
                  </button>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>
    </Show>
  )
}
