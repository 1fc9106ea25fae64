import { createResource, createSignal, For, type JSX, Show } from "solid-js"
import { loadUsers } from "../../lib/adminApi.js"
import { adminMessage } from "../../lib/adminMessages.js"
import { loadNode } from "../../lib/api.js"
import { certificationOf } from "../../lib/keyCertification.js"
import { useStaffSession } from "../../store/createStaffSession.js"
import { AdminError, AdminShell } from "../../ui/admin/AdminShell.jsx"
import { CreateUserForm } from "../../ui/admin/CreateUserForm.jsx"
import { OneTimePassword } from "../../ui/admin/OneTimePassword.jsx"
import { UserRow } from "../../ui/admin/UserRow.jsx"

/** The admin console's users page: the account list with its actions, and the new-account form. */
export default function Users(): JSX.Element {
  const staff = useStaffSession()
  return (
    <AdminShell title="Users">
      {(admin) => {
        const [users, { refetch }] = createResource(() => admin.session, loadUsers)
        const [node] = createResource(() => loadNode())
        // Checked in this browser: the relay's list is only a list of claims (SPEC §12).
        const [certified] = createResource(
          () => users.latest,
          (list) => certificationOf(admin, list),
        )
        const escrow = () => node()?.escrow.enabled === true
        const [notice, setNotice] = createSignal<string>()
        const [otp, setOtp] = createSignal<{ name: string; password: string }>()
        return (
          <>
            <Show when={node()}>
              <p class={escrow() ? "notice" : "notice warn"} data-escrow={String(escrow())}>
                {adminMessage(escrow() ? "admin.escrowOn" : "admin.escrowOff")}
              </p>
            </Show>
            <CreateUserForm admin={admin} onCreated={() => void refetch()} />
            <h2>Accounts</h2>
            <p>
              <button type="button" class="secondary" onClick={() => void refetch()}>
                Reload the list
              </button>
            </p>
            <AdminError error={users.error} />
            <div aria-live="polite">
              <Show when={notice()}>
                <p class="notice" role="status">
                  {notice()}
                </p>
              </Show>
              <Show when={otp()}>
                {(o) => (
                  <OneTimePassword
                    name={o().name}
                    password={o().password}
                    onDone={() => setOtp(undefined)}
                  />
                )}
              </Show>
            </div>
            <ul class="tip-list" aria-label="Accounts">
              <For each={users.latest ?? []}>
                {(u) => (
                  <UserRow
                    admin={admin}
                    user={u}
                    self={u.id === staff.state()?.userId}
                    escrow={escrow()}
                    certification={certified.latest?.get(u.id)}
                    onChanged={() => void refetch()}
                    onResult={(r) => {
                      setNotice(r.notice)
                      setOtp(r.otp)
                    }}
                  />
                )}
              </For>
            </ul>
          </>
        )
      }}
    </AdminShell>
  )
}
