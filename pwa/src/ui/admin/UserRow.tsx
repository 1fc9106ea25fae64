import type { Role } from "@sotto/protocol"
import { createSignal, type JSX, Match, Show, Switch } from "solid-js"
import { type AdminUser, deleteUser, updateUser } from "../../lib/adminApi.js"
import {
  type AdminKeys,
  escrowResetAccount,
  grantNodeKeys,
  resetSecondFactors,
} from "../../lib/adminKeys.js"
import { adminMessage } from "../../lib/adminMessages.js"
import { formatTime } from "../../lib/format.js"
import { ProgressBar } from "../Notice.jsx"
import { AdminError } from "./AdminShell.jsx"
import { ROLE_NAMES } from "./CreateUserForm.jsx"
import { ReauthDialog } from "./ReauthDialog.jsx"

type Pending = "delete" | "2fa" | "escrow" | undefined

/**
 * One account in the users list: role, state, key, and its actions (role change, disable or
 * enable, node keys for admins without them; escrow reset when escrow is on, second-factor reset
 * and delete, each confirmed by re-authentication in a ReauthDialog).
 */
export function UserRow(props: {
  admin: AdminKeys
  user: AdminUser
  self: boolean
  escrow: boolean
  /** Whether this browser verified the user's key certification, and its fingerprint. */
  certification?: { certified: boolean; fingerprint?: string[]; reason?: string } | undefined
  onChanged: () => void
  /** A result to show above the list (the list re-renders its rows when it reloads). */
  onResult: (result: { notice?: string; otp?: { name: string; password: string } }) => void
}): JSX.Element {
  const [busy, setBusy] = createSignal<string>()
  const [error, setError] = createSignal<unknown>()
  const [pending, setPending] = createSignal<Pending>()
  const u = () => props.user

  const run = async (label: string, work: () => Promise<void>) => {
    setError(undefined)
    setBusy(label)
    try {
      await work()
      props.onChanged()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(undefined)
    }
  }
  const setRole = (role: Role) =>
    run("Changing the role", async () => {
      await updateUser(props.admin.session, u().id, { role })
    })
  const toggle = () =>
    run(u().disabled ? "Enabling" : "Disabling", async () => {
      await updateUser(props.admin.session, u().id, { disabled: !u().disabled })
    })
  const giveKeys = () =>
    run("Giving the node keys", async () => {
      await grantNodeKeys(props.admin, u())
      props.onResult({ notice: adminMessage("admin.keysGiven", { name: u().name }) })
    })

  return (
    <li class="card user-row" data-user={u().username}>
      <p class="admin-head">
        <strong>{u().name}</strong> <span class="mono">{u().username}</span>{" "}
        <span class="badge">{ROLE_NAMES[u().role]}</span>
        <Show when={u().disabled}>
          <span class="badge">Disabled</span>
        </Show>
        <span class="badge">{u().publicKey ? "Has a key" : "No key yet (never logged in)"}</span>
        <Show when={u().twoFactor !== undefined}>
          <span class="badge">{u().twoFactor ? "Second factor on" : "No second factor"}</span>
        </Show>
        <Show when={u().mustChangePassword}>
          <span class="badge">Must change password</span>
        </Show>
        <Show when={u().role === "admin" && u().publicKey && !u().hasAdminWraps}>
          <span class="badge">No node keys</span>
        </Show>
      </p>
      <Show when={u().publicKey ? props.certification : undefined}>
        {(c) => (
          <p class="muted" data-testid="key-certification">
            <Show
              when={c().certified}
              fallback={
                <span class="badge">Not certified: re-certify with a new one-time password</span>
              }
            >
              <small>
                Key fingerprint (compare aloud or on paper):{" "}
                <span class="mono">{c().fingerprint?.join(" ")}</span>
              </small>
            </Show>
          </p>
        )}
      </Show>
      <p class="muted">
        <small>
          Created {formatTime(u().createdAt)}
          {u().email ? ` · ${u().email}` : ""}
        </small>
      </p>
      <div class="actions">
        <label class="inline">
          Role{" "}
          <select
            aria-label={`Role of ${u().username}`}
            disabled={props.self || busy() !== undefined}
            onChange={(e) => void setRole(e.currentTarget.value as Role)}
          >
            {(Object.keys(ROLE_NAMES) as Role[]).map((r) => (
              <option value={r} selected={u().role === r}>
                {ROLE_NAMES[r]}
              </option>
            ))}
          </select>
        </label>
        <Show when={!props.self}>
          <button type="button" class="secondary" onClick={toggle} disabled={!!busy()}>
            {u().disabled ? "Enable" : "Disable"}
          </button>
          <Show when={props.escrow && u().publicKey}>
            <button
              type="button"
              class="secondary"
              onClick={() => setPending("escrow")}
              disabled={!!busy()}
            >
              Reset password (escrow)
            </button>
          </Show>
          <button
            type="button"
            class="secondary"
            onClick={() => setPending("2fa")}
            disabled={!!busy()}
          >
            Reset second factors
          </button>
          <Show when={u().role === "admin" && u().publicKey && !u().hasAdminWraps}>
            <button type="button" onClick={giveKeys} disabled={!!busy()}>
              Give node keys
            </button>
          </Show>
          <button
            type="button"
            class="secondary"
            onClick={() => setPending("delete")}
            disabled={!!busy()}
          >
            Delete
          </button>
        </Show>
      </div>
      <Show when={busy()}>{(label) => <ProgressBar label={label()} done={0} total={1} />}</Show>
      <AdminError error={error()} />
      <Switch>
        <Match when={pending() === "delete"}>
          <ReauthDialog
            admin={props.admin}
            title={`Delete ${u().username}`}
            note={adminMessage("admin.deleteConfirm", { name: u().username })}
            action={`Delete ${u().username}`}
            onCancel={() => setPending(undefined)}
            onConfirm={async (key) => {
              await deleteUser(props.admin.session, u().id, key)
              setPending(undefined)
              props.onChanged()
            }}
          />
        </Match>
        <Match when={pending() === "escrow"}>
          <ReauthDialog
            admin={props.admin}
            title={`Reset the password of ${u().username} with escrow`}
            action="Reset password"
            onCancel={() => setPending(undefined)}
            onConfirm={async (key) => {
              const password = await escrowResetAccount(props.admin, u(), key)
              setPending(undefined)
              props.onResult({ otp: { name: u().name, password } })
              props.onChanged()
            }}
          />
        </Match>
        <Match when={pending() === "2fa"}>
          <ReauthDialog
            admin={props.admin}
            title={`Reset the second factors of ${u().username}`}
            action="Reset second factors"
            onCancel={() => setPending(undefined)}
            onConfirm={async (key) => {
              await resetSecondFactors(props.admin, u().id, key)
              setPending(undefined)
              props.onResult({ notice: adminMessage("admin.twoFactorReset", { name: u().name }) })
              props.onChanged()
            }}
          />
        </Match>
      </Switch>
    </li>
  )
}
