import { createResource, createSignal, For, type JSX, onCleanup, Show } from "solid-js"
import { formatDateTime, t, tp } from "../../i18n/index.js"
import { describeError } from "../../lib/errors.js"
import { listSubmissions } from "../../lib/outboxDb.js"
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
    setNotice(t("outbox.deleted"))
  }
  return (
    <Show when={(pending.latest ?? []).length > 0 || notice()}>
      <section class="card" aria-labelledby="outbox-title" id="outbox">
        <h2 id="outbox-title">{t("outbox.title")}</h2>
        <p role="status" aria-live="polite">
          {notice()}
        </p>
        <Show when={(pending.latest ?? []).length > 0} fallback={<p>{t("outbox.none")}</p>}>
          <p>{t("outbox.saved")}</p>
          <ul class="outbox-list">
            <For each={pending.latest ?? []}>
              {(s) => (
                <li class="outbox-item" data-outbox-id={s.id}>
                  <span>
                    {t("outbox.item", { name: s.contextName, date: formatDateTime(s.createdAt) })}
                    {s.files.length > 0 ? ` · ${tp("outbox.files", s.files.length)}` : ""}:{" "}
                  </span>
                  <strong data-outbox-state={s.failed ? "failed" : "pending"}>
                    {s.failed
                      ? describeError({ code: s.failed })
                      : sending() === s.id
                        ? t("outbox.sending")
                        : t("outbox.waiting")}
                  </strong>{" "}
                  <button
                    type="button"
                    class="secondary"
                    aria-label={t("outbox.deleteLabel", { date: formatDateTime(s.createdAt) })}
                    onClick={() => void remove(s.id)}
                  >
                    {t("outbox.delete")}
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
