import { A } from "@solidjs/router"
import { createResource, createSignal, For, type JSX, onCleanup, onMount, Show } from "solid-js"
import { formatTime } from "../../lib/format.js"
import { connectLive, type LiveStatus } from "../../lib/liveEvents.js"
import { messageFor } from "../../lib/messages.js"
import { outboxMessage } from "../../lib/outboxMessages.js"
import { keptTips } from "../../lib/staffCache.js"
import { loadInbox, type TipSummary } from "../../lib/staffTips.js"
import { type InboxFilter, type InboxOrder, viewTips } from "../../lib/tipDeadlines.js"
import { useStaffSession } from "../../store/createStaffSession.js"
import { ErrorNotice } from "../../ui/Notice.jsx"
import { DeadlineBadge, DeadlineControls } from "../../ui/staff/DeadlineBadge.jsx"
import { ForgetDevice } from "../../ui/staff/ForgetDevice.jsx"
import { StaffBar } from "../../ui/staff/StaffBar.jsx"

const STATUS: Record<TipSummary["status"], string> = { new: "New", open: "Open", closed: "Closed" }

/**
 * The tips this person can read, newest first. New tips arrive over the push channel without a
 * reload and are marked new; tips not opened in this tab are marked unread.
 */
export default function Inbox(): JSX.Element {
  const staff = useStaffSession()
  const session = () => staff.state()?.session
  // Offline (lib/staffCache.ts): the tips this device keeps, opened once while online.
  const [inbox, { refetch }] = createResource(
    () => staff.state(),
    async (s) =>
      s.offline
        ? { tips: await keptTips(s.userId), contextNames: new Map<string, string>() }
        : loadInbox(s.session),
  )
  const [live, setLive] = createSignal<LiveStatus>("connecting")
  const [order, setOrder] = createSignal<InboxOrder>("newest")
  const [filter, setFilter] = createSignal<InboxFilter>("all")

  onMount(() => {
    const s = session()
    if (!s || staff.state()?.stage !== "full" || staff.state()?.offline) return
    const close = connectLive(
      s,
      (event) => {
        if (event.type === "tip.created") staff.markArrived(event.tipId)
        void refetch()
      },
      { onStatus: (status) => setLive(status), onReady: () => void refetch() },
    )
    onCleanup(close)
  })

  const isNew = (t: TipSummary) => staff.arrived().has(t.id)
  const unread = (t: TipSummary) => !staff.opened().has(t.id)
  const liveText = () =>
    live() === "live"
      ? messageFor("staff.live")
      : live() === "ended"
        ? messageFor("staff.liveEnded")
        : live() === "retrying"
          ? messageFor("staff.liveRetrying")
          : ""

  return (
    <>
      <StaffBar />
      <h1>Inbox</h1>
      <p class="muted" aria-live="polite" data-live={live()}>
        {liveText()}
      </p>
      <Show when={staff.state()?.offline}>
        <p class="notice warn" role="status">
          {outboxMessage("staffCache.offlineLogin")}
        </p>
      </Show>
      <ErrorNotice error={inbox.error} />
      {/* Reading an errored resource throws: check the error first. */}
      <Show when={!inbox.error && inbox.latest}>
        {(data) => (
          <Show when={data().tips.length > 0} fallback={<p>{messageFor("staff.inboxEmpty")}</p>}>
            <DeadlineControls
              order={order()}
              filter={filter()}
              onOrder={setOrder}
              onFilter={setFilter}
            />
            <ul class="tip-list" aria-label="Tips">
              <For each={viewTips(data().tips, order(), filter())}>
                {(t) => (
                  <li>
                    <A
                      href={`/staff/tips/${encodeURIComponent(t.id)}`}
                      class="tip-row"
                      classList={{ unread: unread(t) }}
                      data-tip-id={t.id}
                    >
                      <span class="row-head">
                        <strong>{data().contextNames.get(t.contextId) ?? t.contextId}</strong>
                        <Show when={isNew(t)}>
                          <span class="badge">New</span>
                        </Show>
                        <Show when={unread(t)}>
                          <span class="badge">Unread</span>
                        </Show>
                        <span class="badge">Status: {STATUS[t.status]}</span>
                        <DeadlineBadge deadline={t.deadline} />
                        <For each={t.labels}>{(l) => <span class="badge">{l}</span>}</For>
                      </span>
                      <span class="row-meta">
                        <span>Received {formatTime(t.createdAt)}</span>
                        <span>Updated {formatTime(t.updatedAt)}</span>
                        <span>Expires {formatTime(t.expiresAt)}</span>
                        <span>
                          {t.comments} comments · {t.files} files
                        </span>
                      </span>
                    </A>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </Show>
      <ForgetDevice />
    </>
  )
}
