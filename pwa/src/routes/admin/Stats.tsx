import { createMemo, createResource, For, type JSX, Show } from "solid-js"
import { loadContextList, loadStats, type Stats as StatsData } from "../../lib/adminApi.js"
import { AdminError, AdminShell } from "../../ui/admin/AdminShell.jsx"

const HOUR = 3_600_000

/** A duration in words: minutes under 2 hours, hours under 2 days, else days. */
export function formatWait(ms: number | null): string {
  if (ms === null) return "no answer yet"
  if (ms < 2 * HOUR) return `${Math.round(ms / 60_000)} min`
  if (ms < 48 * HOUR) return `${Math.round(ms / HOUR)} h`
  return `${Math.round(ms / (24 * HOUR))} days`
}

/** The week columns of a stats response, oldest first. */
function weekStarts(data: StatsData): number[] {
  const now = Date.now()
  const out: number[] = []
  for (let w = data.since; w <= now; w += 7 * 24 * HOUR) out.push(w)
  return out
}

/** The admin console's stats: tips per channel per week, and time to first response. */
export default function Stats(): JSX.Element {
  return (
    <AdminShell title="Stats">
      {(admin) => {
        const [data] = createResource(
          () => admin.session,
          (s) => loadStats(s, 8),
        )
        const [list] = createResource(loadContextList)
        const names = createMemo(
          () => new Map((list.latest ?? []).map((c) => [c.id, c.name] as const)),
        )
        const nameOf = (id: string) => names().get(id) ?? id
        return (
          <>
            <p class="muted">Counts only: no tip content is read for these numbers.</p>
            <AdminError error={data.error ?? list.error} />
            <Show when={data.latest}>
              {(d) => {
                const weeks = weekStarts(d())
                const count = (contextId: string, week: number) =>
                  d().weeks.find((w) => w.contextId === contextId && w.weekStart === week)?.tips ??
                  0
                return (
                  <>
                    <h2>Per channel</h2>
                    <div class="table-scroll">
                      <table class="stats" aria-label="Tips and first responses per channel">
                        <thead>
                          <tr>
                            <th scope="col">Channel</th>
                            <th scope="col">Tips</th>
                            <th scope="col">Answered</th>
                            <th scope="col">Median time to first response</th>
                            <th scope="col">Acknowledged</th>
                            <th scope="col">Median time to acknowledgement</th>
                            <th scope="col">Feedback given</th>
                            <th scope="col">Median time to feedback</th>
                            <th scope="col">Overdue now</th>
                          </tr>
                        </thead>
                        <tbody>
                          <For each={d().contexts}>
                            {(c) => (
                              <tr data-context={c.contextId}>
                                <th scope="row">{nameOf(c.contextId)}</th>
                                <td data-tips>{c.tips}</td>
                                <td>{c.responded}</td>
                                <td>{formatWait(c.medianFirstResponseMs)}</td>
                                <td>{c.acknowledged}</td>
                                <td>{formatWait(c.medianAckMs)}</td>
                                <td>{c.feedbackGiven}</td>
                                <td>{formatWait(c.medianFeedbackMs)}</td>
                                <td data-overdue>{c.overdue}</td>
                              </tr>
                            )}
                          </For>
                        </tbody>
                      </table>
                    </div>
                    <Show when={d().contexts.length === 0}>
                      <p>No tips yet.</p>
                    </Show>
                    <h2>Tips per week</h2>
                    <div class="table-scroll">
                      <table class="stats" aria-label="Tips per channel per week">
                        <thead>
                          <tr>
                            <th scope="col">Week of</th>
                            <For each={d().contexts}>
                              {(c) => <th scope="col">{nameOf(c.contextId)}</th>}
                            </For>
                          </tr>
                        </thead>
                        <tbody>
                          <For each={weeks}>
                            {(w) => (
                              <tr>
                                <th scope="row">{new Date(w).toISOString().slice(0, 10)}</th>
                                <For each={d().contexts}>
                                  {(c) => <td>{count(c.contextId, w)}</td>}
                                </For>
                              </tr>
                            )}
                          </For>
                        </tbody>
                      </table>
                    </div>
                  </>
                )
              }}
            </Show>
          </>
        )
      }}
    </AdminShell>
  )
}
