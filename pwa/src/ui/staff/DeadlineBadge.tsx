import { type JSX, Show } from "solid-js"
import { formatTime } from "../../lib/format.js"
import { deadlineLabel, type InboxFilter, type InboxOrder } from "../../lib/tipDeadlines.js"

/** A tip's next deadline and, once it has passed, an "Overdue" badge. */
export function DeadlineBadge(props: {
  deadline: { kind: "ack" | "feedback"; dueAt: number; overdue: boolean } | undefined
}): JSX.Element {
  return (
    <Show when={props.deadline}>
      {(d) => (
        <>
          <Show when={d().overdue}>
            <span class="badge overdue" data-overdue="true">
              Overdue
            </span>
          </Show>
          <span class="badge" data-deadline={d().kind}>
            {deadlineLabel(d().kind)} {formatTime(d().dueAt)}
          </span>
        </>
      )}
    </Show>
  )
}

/** The inbox's order and filter by deadline. */
export function DeadlineControls(props: {
  order: InboxOrder
  filter: InboxFilter
  onOrder: (order: InboxOrder) => void
  onFilter: (filter: InboxFilter) => void
}): JSX.Element {
  return (
    <div class="inbox-controls">
      <label>
        Sort{" "}
        <select
          value={props.order}
          onChange={(e) => props.onOrder(e.currentTarget.value as InboxOrder)}
        >
          <option value="newest">Newest first</option>
          <option value="deadline">Next deadline first</option>
        </select>
      </label>
      <label>
        Show{" "}
        <select
          value={props.filter}
          onChange={(e) => props.onFilter(e.currentTarget.value as InboxFilter)}
        >
          <option value="all">All tips</option>
          <option value="open">With a deadline open</option>
          <option value="overdue">Overdue only</option>
        </select>
      </label>
    </div>
  )
}
