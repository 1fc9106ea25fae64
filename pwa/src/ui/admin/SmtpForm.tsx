import { createSignal, type JSX, Show } from "solid-js"
import { type NodeSettingsView, saveSettings } from "../../lib/adminApi.js"
import type { AdminKeys } from "../../lib/adminKeys.js"
import { adminMessage } from "../../lib/adminMessages.js"
import { errorField } from "../../lib/errors.js"
import { TextField } from "../Field.jsx"
import { AdminError } from "./AdminShell.jsx"

/**
 * The node's mail server (SMTP settings stored in the node settings; they win over the relay's
 * SMTP_URL and apply to the next mail, no restart). The password is write-only: the relay only
 * says whether one is stored, and leaving the field empty keeps it. `onSaved` gets the settings.
 */
export function SmtpForm(props: {
  admin: AdminKeys
  settings: NodeSettingsView
  onSaved: (settings: NodeSettingsView) => void
}): JSX.Element {
  const smtp = props.settings.smtp
  const [host, setHost] = createSignal(smtp?.host ?? "")
  const [port, setPort] = createSignal(String(smtp?.port ?? 587))
  const [secure, setSecure] = createSignal(smtp?.secure ?? false)
  const [user, setUser] = createSignal(smtp?.user ?? "")
  const [password, setPassword] = createSignal("")
  const [passwordSet, setPasswordSet] = createSignal(smtp?.passwordSet ?? false)
  const [from, setFrom] = createSignal(smtp?.from ?? "")
  const [stored, setStored] = createSignal(smtp !== undefined)
  const [error, setError] = createSignal<unknown>()
  const [notice, setNotice] = createSignal<string>()
  const fieldIs = (f: string) => errorField(error())?.startsWith(`body.smtp.${f}`) === true

  const send = async (body: Parameters<typeof saveSettings>[1], done: string) => {
    setError(undefined)
    setNotice(undefined)
    try {
      const now = await saveSettings(props.admin.session, body)
      setStored(now.smtp !== undefined)
      setPasswordSet(now.smtp?.passwordSet ?? false)
      setPassword("")
      setNotice(done)
      props.onSaved(now)
    } catch (err) {
      setError(err)
    }
  }
  const save = (e: Event) => {
    e.preventDefault()
    const name = user().trim()
    void send(
      {
        smtp: {
          host: host().trim(),
          port: Number(port()),
          secure: secure(),
          from: from().trim(),
          ...(name ? { user: name } : {}),
          ...(name && password() ? { password: password() } : {}),
        },
      },
      adminMessage("admin.smtpSaved"),
    )
  }

  return (
    <form class="card" onSubmit={save} noValidate aria-label="Mail server">
      <h2>Mail server (SMTP)</h2>
      <p class="muted">
        {stored()
          ? "These settings are used for every mail, instead of the relay's SMTP_URL."
          : "No mail server is stored here: the relay uses its SMTP_URL, if it has one."}
      </p>
      <TextField
        label="Server host"
        name="smtp-host"
        value={host()}
        onInput={setHost}
        required
        error={fieldIs("host") ? "A host name or address, like mail.example.org." : undefined}
      />
      <TextField
        label="Port"
        name="smtp-port"
        value={port()}
        onInput={setPort}
        required
        help="Usually 587 (STARTTLS) or 465 (TLS from the start)."
        error={fieldIs("port") ? "A port number from 1 to 65535." : undefined}
      />
      <label class="check">
        <input
          type="checkbox"
          name="smtp-secure"
          checked={secure()}
          onChange={(e) => setSecure(e.currentTarget.checked)}
        />{" "}
        TLS from the start (port 465)
      </label>
      <TextField
        label="User name (leave empty for none)"
        name="smtp-user"
        value={user()}
        onInput={setUser}
        error={fieldIs("user") ? "At most 256 characters." : undefined}
      />
      <TextField
        label="Password"
        name="smtp-password"
        type="password"
        autocomplete="new-password"
        value={password()}
        onInput={setPassword}
        help={
          passwordSet()
            ? "A password is stored. Leave this empty to keep it."
            : "Needed with a user name. It is never shown again."
        }
        error={fieldIs("password") ? "Type the mail server's password." : undefined}
      />
      <TextField
        label="Sender address"
        name="smtp-from"
        type="email"
        value={from()}
        onInput={setFrom}
        required
        error={fieldIs("from") ? "A mail address, like sotto@example.org." : undefined}
      />
      <AdminError error={error()} />
      <Show when={notice()}>
        <p class="notice" role="status">
          {notice()}
        </p>
      </Show>
      <p class="actions">
        <button type="submit">Save mail server</button>
        <Show when={stored()}>
          <button
            type="button"
            class="secondary"
            onClick={() => void send({ smtp: null }, adminMessage("admin.smtpRemoved"))}
          >
            Remove (use SMTP_URL)
          </button>
        </Show>
      </p>
    </form>
  )
}
