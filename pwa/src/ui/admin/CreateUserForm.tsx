import type { Role } from "@sotto/protocol"
import { createSignal, type JSX, Show } from "solid-js"
import { type AdminKeys, createAccount } from "../../lib/adminKeys.js"
import { errorCode, errorField } from "../../lib/errors.js"
import { TextField } from "../Field.jsx"
import { ProgressBar } from "../Notice.jsx"
import { AdminError } from "./AdminShell.jsx"
import { OneTimePassword } from "./OneTimePassword.jsx"

/** The role picker's choices. */
export const ROLE_NAMES: Readonly<Record<Role, string>> = {
  admin: "Administrator",
  recipient: "Recipient",
  custodian: "Custodian",
}

/**
 * Creates an account: username, name, e-mail (optional) and role; the one-time password is drawn
 * and stretched in the workers (with progress) and shown once. Relay errors land at their field.
 */
export function CreateUserForm(props: { admin: AdminKeys; onCreated: () => void }): JSX.Element {
  const [username, setUsername] = createSignal("")
  const [name, setName] = createSignal("")
  const [email, setEmail] = createSignal("")
  const [role, setRole] = createSignal<Role>("recipient")
  const [progress, setProgress] = createSignal<number>()
  const [error, setError] = createSignal<unknown>()
  const [created, setCreated] = createSignal<{ name: string; password: string }>()
  const fieldError = (field: string) => {
    // The relay answers a taken name with 409 CONFLICT (no field): it belongs to the username.
    if (field === "username" && errorCode(error()) === "CONFLICT") return TAKEN
    return errorField(error()) === `body.${field}` ? fieldText(field) : undefined
  }

  const submit = async (e: Event) => {
    e.preventDefault()
    setError(undefined)
    setProgress(0)
    try {
      const res = await createAccount(
        props.admin,
        {
          username: username().trim().toLowerCase(),
          name: name().trim(),
          role: role(),
          ...(email().trim() ? { email: email().trim() } : {}),
        },
        (f) => setProgress(f),
      )
      setCreated({ name: name().trim(), password: res.oneTimePassword })
      setUsername("")
      setName("")
      setEmail("")
      props.onCreated()
    } catch (err) {
      setError(err)
    } finally {
      setProgress(undefined)
    }
  }

  return (
    <Show
      when={created()}
      fallback={
        <form class="card" onSubmit={submit} aria-label="New account">
          <h2>New account</h2>
          <TextField
            label="Username"
            value={username()}
            onInput={setUsername}
            required
            name="username"
            help="Lower-case letters, digits, dot, dash or underscore; at least 2 characters."
            error={fieldError("username")}
          />
          <TextField
            label="Full name"
            value={name()}
            onInput={setName}
            required
            name="full-name"
            error={fieldError("name")}
          />
          <TextField
            label="E-mail (optional, for notifications)"
            type="email"
            value={email()}
            onInput={setEmail}
            name="email"
            error={fieldError("email")}
          />
          <div class="field">
            <label for="new-role">Role</label>
            <select
              id="new-role"
              name="role"
              onChange={(e) => setRole(e.currentTarget.value as Role)}
            >
              {(Object.keys(ROLE_NAMES) as Role[]).map((r) => (
                <option value={r} selected={role() === r}>
                  {ROLE_NAMES[r]}
                </option>
              ))}
            </select>
          </div>
          <Show when={progress() !== undefined}>
            <ProgressBar label="Making the one-time password" done={progress() ?? 0} total={1} />
          </Show>
          <Show when={errorCode(error()) !== "CONFLICT"}>
            <AdminError error={error()} />
          </Show>
          <button type="submit" disabled={progress() !== undefined}>
            Create account
          </button>
        </form>
      }
    >
      {(c) => (
        <OneTimePassword name={c().name} password={c().password} onDone={() => setCreated()} />
      )}
    </Show>
  )
}

const TAKEN = "This username is taken. Choose another."

function fieldText(field: string): string {
  if (field === "username") return "Use 2–64 lower-case letters, digits, dot, dash or underscore."
  if (field === "email") return "This is not a mail address."
  return "Fill this in (at most 100 characters)."
}
