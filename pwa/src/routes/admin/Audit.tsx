import { createMemo, createResource, createSignal, For, type JSX, Show } from "solid-js"
import { type AdminUser, type AuditEntry, loadAudit, loadUsers } from "../../lib/adminApi.js"
import { AUDIT_ACTIONS, auditActionName } from "../../lib/adminMessages.js"
import { formatTime } from "../../lib/format.js"
import { AdminError, AdminShell } from "../../ui/admin/AdminShell.jsx"
import { TextField } from "../../ui/Field.jsx"

const DAY = 86_400_000

/** Who an audit actor is: a user's name and username, or the actor code (`wb`, `system`…). */
function actorName(actor: string, users: ReadonlyMap<string, AdminUser>): string {
  const u = users.get(actor)
  return u ? `${u.name} (${u.username})` : actor
}

/** Entries matching the filters: action, actor text, and a date range (inclusive days, UTC). */
export function filterAudit(
  entries: readonly AuditEntry[],
  f: { action: string; actor: string; from: string; to: string },
  users: ReadonlyMap<string, AdminUser>,
): AuditEntry[] {
  const from = f.from ? Date.parse(f.from) : Number.NEGATIVE_INFINITY
  const to = f.to ? Date.parse(f.to) + DAY : Number.POSITIVE_INFINITY
  const who = f.actor.trim().toLowerCase()
  return entries.filter(
    (e) =>
      (!f.action || e.action === f.action) &&
      (!who || actorName(e.actor, users).toLowerCase().includes(who)) &&
      e.at >= from &&
      e.at < to,
  )
}

/** The admin console's audit log: the newest 500 entries, filtered in this tab, newest first. */
export default function Audit(): JSX.Element {
  return (
    <AdminShell title="Audit log">
      {(admin) => {
        const [entries] = createResource(
          () => admin.session,
          (s) => loadAudit(s),
        )
        const [users] = createResource(() => admin.session, loadUsers)
        const [action, setAction] = createSignal("")
        const [actor, setActor] = createSignal("")
        const [from, setFrom] = createSignal("")
        const [to, setTo] = createSignal("")
        const byId = createMemo(() => new Map((users.latest ?? []).map((u) => [u.id, u])))
        const actions = createMemo(() =>
          [
            ...new Set([
              ...Object.keys(AUDIT_ACTIONS),
              ...(entries.latest ?? []).map((e) => e.action),
            ]),
          ].sort(),
        )
        const shown = createMemo(() =>
          filterAudit(
            entries.latest ?? [],
            { action: action(), actor: actor(), from: from(), to: to() },
            byId(),
          ),
        )
        return (
          <>
            <form
              class="card audit-filters"
              aria-label="Filters"
              onSubmit={(e) => e.preventDefault()}
            >
              <div class="field">
                <label for="audit-action">Action</label>
                <select id="audit-action" onChange={(e) => setAction(e.currentTarget.value)}>
                  <option value="">All actions</option>
                  <For each={actions()}>
                    {(a) => (
                      <option value={a} selected={action() === a}>
                        {auditActionName(a)}
                      </option>
                    )}
                  </For>
                </select>
              </div>
              <TextField label="Actor (name, username or id)" value={actor()} onInput={setActor} />
              <TextField label="From (date)" type="date" value={from()} onInput={setFrom} />
              <TextField label="To (date)" type="date" value={to()} onInput={setTo} />
            </form>
            <AdminError error={entries.error ?? users.error} />
            <p class="muted" aria-live="polite">
              {shown().length} of {entries.latest?.length ?? 0} entries
            </p>
            <ol class="tip-list audit-list" aria-label="Audit entries">
              <For each={shown()}>
                {(e) => (
                  <li class="card" data-action={e.action}>
                    <p class="admin-head">
                      <strong>{auditActionName(e.action)}</strong>{" "}
                      <span class="mono">{e.action}</span>
                    </p>
                    <p>
                      <small>
                        {formatTime(e.at)} · by {actorName(e.actor, byId())}
                        <Show when={e.target}>{(t) => <> · on {actorName(t(), byId())}</>}</Show>
                      </small>
                    </p>
                    <Show when={e.details && Object.keys(e.details).length > 0}>
                      <p class="mono">
                        <small>
                          {Object.entries(e.details ?? {})
                            .map(([k, v]) => `${k}: ${String(v)}`)
                            .join(" · ")}
                        </small>
                      </p>
                    </Show>
                  </li>
                )}
              </For>
            </ol>
          </>
        )
      }}
    </AdminShell>
  )
}
