import { A } from "@solidjs/router"
import { createResource, createSignal, For, type JSX, onCleanup, onMount, Show } from "solid-js"
import { formatTime } from "../../lib/format.js"
import { connectLive, type LiveStatus } from "../../lib/liveEvents.js"
import { messageFor } from "../../lib/messages.js"
import { outboxMessage } from "../../lib/outboxMessages.js"
import { keptTips } from "../../lib/staffCache.js"
import { loadContextNames, loadInboxPage, type TipSummary } from "../../lib/staffTips.js"
import { type InboxFilter, type InboxOrder, viewTips } from "../../lib/tipDeadlines.js"
import { createInbox } from "../../store/createInbox.js"
import { useStaffSession } from "../../store/createStaffSession.js"
import { ErrorNotice } from "../../ui/Notice.jsx"
import { DeadlineBadge, DeadlineControls } from "../../ui/staff/DeadlineBadge.jsx"
import { ForgetDevice } from "../../ui/staff/ForgetDevice.jsx"
import { StaffBar } from "../../ui/staff/StaffBar.jsx"

const STATUS: Record<TipSummary["status"], string> = { new: "New", open: "Open", closed: "Closed" }

/**
 * The tips this person can read, newest first, a page at a time ("Load more"). Push events carry
 * the changed line, applied in place without refetching the list; new tips are marked new, tips
 * not opened in this tab unread.
 */
export default function Inbox(): JSX.Element {
  const staff = useStaffSession()
  const state = staff.state()
  // Offline (lib/staffCache.ts): the tips this device keeps, opened once while online.
  const inbox = createInbox(
    state?.session ?? "",
    state?.offline ? async () => ({ tips: await keptTips(state.userId) }) : loadInboxPage,
  )
  const [contextNames, { refetch: refetchNames }] = createResource(
    () => (state && !state.offline ? state.session : undefined),
    () => loadContextNames(),
  )
  const names = () => contextNames.latest ?? new Map<string, string>()
  const [live, setLive] = createSignal<LiveStatus>("connecting")
  const [order, setOrder] = createSignal<InboxOrder>("newest")
  const [filter, setFilter] = createSignal<InboxFilter>("all")

  onMount(() => {
    void inbox.reload()
    if (!state?.session || state.stage !== "full" || state.offline) return
    let readyBefore = false
    const close = connectLive(
      state.session,
      (event) => {
        if (event.type === "tip.created") staff.markArrived(event.tipId)
        // The event carries the changed line: applied in place, no list refetch.
        if (!inbox.apply(event)) void inbox.reload()
        // A tip in a channel made after this page loaded: fetch the channels' names again.
        if (event.tip && !names().has(event.tip.contextId)) void refetchNames()
      },
      {
        onStatus: (status) => setLive(status),
        // After a reconnect, events sent while the socket was down are lost: fetch again.
        onReady: () => {
          if (readyBefore) void inbox.reload()
          readyBefore = true
        },
      },
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
      <ErrorNotice error={inbox.error()} />
      <Show
        when={inbox.tips().length > 0}
        fallback={
          <Show when={!inbox.loading() && !inbox.error()}>
            <p>{messageFor("staff.inboxEmpty")}</p>
          </Show>
        }
      >
        <DeadlineControls
          order={order()}
          filter={filter()}
          onOrder={setOrder}
          onFilter={setFilter}
        />
        <ul class="tip-list" aria-label="Tips">
          {/* Order and filter apply to the lines loaded so far ("Load more" brings older ones). */}
          <For each={viewTips(inbox.tips(), order(), filter())}>
            {(t) => (
              <li>
                <A
                  href={`/staff/tips/${encodeURIComponent(t.id)}`}
                  class="tip-row"
                  classList={{ unread: unread(t) }}
                  data-tip-id={t.id}
                >
                  <span class="row-head">
                    <strong>{names().get(t.contextId) ?? t.contextId}</strong>
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
                    <span data-counts>
                      {t.comments} comments · {t.files} files
                    </span>
                  </span>
                </A>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={inbox.hasMore()}>
        <button
          type="button"
          class="load-more"
          disabled={inbox.loading()}
          onClick={() => void inbox.loadMore()}
        >
          {inbox.loading() ? messageFor("staff.inboxLoading") : messageFor("staff.inboxMore")}
        </button>
      </Show>
      <ForgetDevice />
    </>
  )
}
