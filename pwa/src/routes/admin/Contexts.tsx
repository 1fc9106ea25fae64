import { A } from "@solidjs/router"
import { createResource, createSignal, For, type JSX, Show } from "solid-js"
import { type ContextInfo, deleteContext, loadContextList, loadUsers } from "../../lib/adminApi.js"
import {
  type DirectoryHealth,
  directoryHealth,
  EXPIRY_WARNING_DAYS,
  resignDirectory,
} from "../../lib/adminDirectories.js"
import { adminMessage } from "../../lib/adminMessages.js"
import { formatBytes } from "../../lib/format.js"
import { AdminError, AdminShell } from "../../ui/admin/AdminShell.jsx"

/**
 * The admin console's channel list: edit, delete (with confirmation), a new channel, and each
 * channel's signed directory: a warning with the days left when it expires within
 * EXPIRY_WARNING_DAYS days, red once expired, and "Re-sign now".
 */
export default function Contexts(): JSX.Element {
  return (
    <AdminShell title="Channels">
      {(admin) => {
        const [list, { refetch }] = createResource(loadContextList)
        const [confirm, setConfirm] = createSignal<ContextInfo>()
        const [error, setError] = createSignal<unknown>()
        const [health, { refetch: recheck }] = createResource(
          () => list.latest,
          (l) => directoryHealth(l),
        )
        const [resigning, setResigning] = createSignal<string>()
        const [resigned, setResigned] = createSignal<string>()
        const resign = async (c: ContextInfo, recipients: readonly string[]) => {
          setError(undefined)
          setResigned(undefined)
          setResigning(c.id)
          try {
            await resignDirectory(admin, c, recipients, await loadUsers(admin.session))
            setResigned(c.name)
            await recheck()
          } catch (e) {
            setError(e)
          } finally {
            setResigning(undefined)
          }
        }
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
            <AdminError error={list.error ?? health.error ?? error()} />
            <Show when={resigned()}>
              {(name) => (
                <p class="notice ok" role="status">
                  {adminMessage("admin.directoryResigned", { name: name() })}
                </p>
              )}
            </Show>
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
                    <Show when={health.error === undefined ? health.latest?.get(c.id) : undefined}>
                      {(h) => (
                        <DirectoryState
                          health={h()}
                          busy={resigning() === c.id}
                          onResign={(recipients) => void resign(c, recipients)}
                        />
                      )}
                    </Show>
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

/** One channel's directory: nothing while healthy, a warning or a red notice and "Re-sign now". */
function DirectoryState(props: {
  health: DirectoryHealth
  busy: boolean
  onResign: (recipients: readonly string[]) => void
}): JSX.Element {
  const h = () => props.health
  const text = () => {
    const x = h()
    if (x.state === "invalid") return adminMessage("admin.directoryInvalid", { reason: x.reason })
    if (x.state === "expired") {
      return adminMessage("admin.directoryExpired", { days: String(Math.max(0, -x.daysLeft)) })
    }
    return adminMessage("admin.directorySoon", {
      days: String(x.daysLeft),
      warn: String(EXPIRY_WARNING_DAYS),
    })
  }
  return (
    <Show when={h().state !== "ok"}>
      <div
        class={h().state === "soon" ? "notice warn" : "notice error"}
        data-testid="directory-state"
        data-state={h().state}
        role={h().state === "soon" ? "status" : "alert"}
      >
        <p>{text()}</p>
        <Show
          when={(() => {
            const x = h()
            return x.state === "soon" || x.state === "expired" ? x : undefined
          })()}
        >
          {(x) => (
            <button
              type="button"
              disabled={props.busy}
              onClick={() => props.onResign(x().recipients)}
            >
              {props.busy ? "Re-signing…" : "Re-sign now"}
            </button>
          )}
        </Show>
      </div>
    </Show>
  )
}
