import { createMemo, createResource, For, type JSX, Show } from "solid-js"
import { loadContextList, loadSettings, loadStorage } from "../../lib/adminApi.js"
import { formatBytes } from "../../lib/format.js"
import { AdminError, AdminShell } from "../../ui/admin/AdminShell.jsx"
import { QuotasForm } from "../../ui/admin/QuotasForm.jsx"

/** "12.0 MiB of 50.0 GiB (0 %)". */
function ofBudget(bytes: number, budget: number): string {
  const share = budget > 0 ? Math.min(100, Math.floor((bytes / budget) * 100)) : 0
  return `${formatBytes(bytes)} of ${formatBytes(budget)} (${share} %)`
}

/**
 * The admin console's storage page: what each channel's reports and the whole node hold against
 * their budgets (sizes counted by the relay beside the records: sealed answers, comments and
 * files, unfinished uploads included), the free disk, and the budgets themselves.
 */
export default function Storage(): JSX.Element {
  return (
    <AdminShell title="Storage">
      {(admin) => {
        const [data, { refetch }] = createResource(() => admin.session, loadStorage)
        const [settings, { mutate }] = createResource(() => admin.session, loadSettings)
        const [list] = createResource(loadContextList)
        const names = createMemo(
          () => new Map((list.latest ?? []).map((c) => [c.id, c.name] as const)),
        )
        return (
          <>
            <p class="muted">
              Sizes of the encrypted reports as stored; no content is read for these numbers.
            </p>
            <AdminError error={data.error ?? settings.error ?? list.error} />
            <Show when={data.latest}>
              {(d) => (
                <>
                  <p data-node-bytes={d().node.bytes}>
                    Whole node: {d().node.tips} reports,{" "}
                    {ofBudget(d().node.bytes, d().node.budgetBytes)}.
                  </p>
                  <p data-free-bytes={d().disk.freeBytes}>
                    Free disk: {formatBytes(d().disk.freeBytes)} (whistleblowers are turned away
                    under {formatBytes(d().disk.minFreeBytes)}).
                  </p>
                  <div class="table-scroll">
                    <table class="stats" aria-label="Stored sizes per channel">
                      <thead>
                        <tr>
                          <th scope="col">Channel</th>
                          <th scope="col">Reports</th>
                          <th scope="col">Stored</th>
                        </tr>
                      </thead>
                      <tbody>
                        <For each={d().contexts}>
                          {(c) => (
                            <tr data-context={c.contextId} data-bytes={c.bytes}>
                              <th scope="row">{names().get(c.contextId) ?? c.contextId}</th>
                              <td>{c.tips}</td>
                              <td>{ofBudget(c.bytes, c.budgetBytes)}</td>
                            </tr>
                          )}
                        </For>
                      </tbody>
                    </table>
                  </div>
                  <Show when={d().contexts.length === 0}>
                    <p>No reports stored yet.</p>
                  </Show>
                </>
              )}
            </Show>
            <Show when={settings.latest}>
              {(s) => (
                <QuotasForm
                  admin={admin}
                  quotas={s().quotas}
                  onSaved={(next) => {
                    mutate(next)
                    void refetch()
                  }}
                />
              )}
            </Show>
          </>
        )
      }}
    </AdminShell>
  )
}
