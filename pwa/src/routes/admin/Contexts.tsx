import { A } from "@solidjs/router"
import { createResource, createSignal, For, type JSX, Show } from "solid-js"
import { type ContextInfo, deleteContext, loadContextList } from "../../lib/adminApi.js"
import { adminMessage } from "../../lib/adminMessages.js"
import { formatBytes } from "../../lib/format.js"
import { AdminError, AdminShell } from "../../ui/admin/AdminShell.jsx"

/** The admin console's channel list: edit, delete (with confirmation), and a new channel. */
export default function Contexts(): JSX.Element {
  return (
    <AdminShell title="Channels">
      {(admin) => {
        const [list, { refetch }] = createResource(loadContextList)
        const [confirm, setConfirm] = createSignal<ContextInfo>()
        const [error, setError] = createSignal<unknown>()
        const remove = async (c: ContextInfo) => {
          setError(undefined)
          try {
            await deleteContext(admin.session, c.id)
            setConfirm(undefined)
            void refetch()
          } catch (e) {
            setError(e)
          }
        }
        return (
          <>
            <p>
              <A href="/admin/contexts/new" class="button">
                New channel
              </A>
            </p>
            <AdminError error={list.error ?? error()} />
            <Show when={confirm()}>
              {(c) => (
                <section class="card" aria-label="Confirm deletion">
                  <p>{adminMessage("admin.contextDeleteConfirm", { name: c().name })}</p>
                  <p class="actions">
                    <button type="button" onClick={() => void remove(c())}>
                      Delete {c().name}
                    </button>
                    <button type="button" class="secondary" onClick={() => setConfirm()}>
                      Cancel
                    </button>
                  </p>
                </section>
              )}
            </Show>
            <ul class="tip-list" aria-label="Channels">
              <For each={list.latest ?? []}>
                {(c) => (
                  <li class="card" data-context={c.id}>
                    <p class="admin-head">
                      <strong>{c.name}</strong>
                      <span class="badge">{c.questionnaire.length} fields</span>
                      <span class="badge">tips kept {c.expiryDays} days</span>
                      <span class="badge">
                        {c.maxFiles} files of up to {formatBytes(c.maxFileBytes)}
                      </span>
                    </p>
                    <p class="actions">
                      <A href={`/admin/contexts/${encodeURIComponent(c.id)}`}>Edit {c.name}</A>
                      <button type="button" class="secondary" onClick={() => setConfirm(c)}>
                        Delete
                      </button>
                    </p>
                  </li>
                )}
              </For>
            </ul>
          </>
        )
      }}
    </AdminShell>
  )
}
