import { createResource, createSignal, For, type JSX, Show } from "solid-js"
import {
  loadMailFailures,
  loadSettings,
  type NodeSettingsView,
  saveSettings,
  sendTestMail,
} from "../../lib/adminApi.js"
import type { AdminKeys } from "../../lib/adminKeys.js"
import { adminMessage } from "../../lib/adminMessages.js"
import { loadHealth } from "../../lib/api.js"
import { errorField } from "../../lib/errors.js"
import { formatTime } from "../../lib/format.js"
import { AdminError, AdminShell } from "../../ui/admin/AdminShell.jsx"
import { TextField } from "../../ui/Field.jsx"

const ROLES = ["admin", "recipient", "custodian"] as const
const KINDS = ["admin", "recipient", "custodian", "wb"] as const
const KIND_NAMES: Readonly<Record<(typeof KINDS)[number], string>> = {
  admin: "administrators",
  recipient: "recipients",
  custodian: "custodians",
  wb: "whistleblowers",
}

/** The settings form, filled from the stored settings. */
function SettingsForm(props: { admin: AdminKeys; settings: NodeSettingsView }): JSX.Element {
  const s = props.settings
  const [name, setName] = createSignal(s.name)
  const [idle, setIdle] = createSignal<Record<string, string>>(
    Object.fromEntries(KINDS.map((k) => [k, String(Math.round(s.idleTimeouts[k] / 60_000))])),
  )
  const [pow, setPow] = createSignal(String(s.powDifficulty))
  const [expiry, setExpiry] = createSignal(String(s.expiryDays))
  const [pattern, setPattern] = createSignal(s.receipt.pattern)
  const [twoFactor, setTwoFactor] = createSignal({ ...s.twoFactorRequired })
  const [error, setError] = createSignal<unknown>()
  const [saved, setSaved] = createSignal<NodeSettingsView>()
  const fieldIs = (f: string) => errorField(error())?.startsWith(`body.${f}`) === true

  const save = async (e: Event) => {
    e.preventDefault()
    setError(undefined)
    setSaved(undefined)
    try {
      const now = await saveSettings(props.admin.session, {
        name: name().trim(),
        idleTimeouts: Object.fromEntries(
          KINDS.map((k) => [k, Math.round(Number(idle()[k]) * 60_000)]),
        ),
        powDifficulty: Number(pow()),
        expiryDays: Number(expiry()),
        twoFactorRequired: twoFactor(),
        ...(pattern() !== s.receipt.pattern ? { receiptPattern: pattern() } : {}),
      })
      setSaved(now)
    } catch (err) {
      setError(err)
    }
  }

  return (
    <form class="card" onSubmit={save} noValidate aria-label="Node settings">
      <TextField
        label="Node name"
        value={name()}
        onInput={setName}
        name="node-name"
        required
        error={fieldIs("name") ? "1 to 100 characters." : undefined}
      />
      <fieldset class="field">
        <legend>Log out after this many idle minutes</legend>
        <For each={KINDS}>
          {(k) => (
            <TextField
              label={`For ${KIND_NAMES[k]}`}
              value={idle()[k] ?? ""}
              onInput={(v) => setIdle((m) => ({ ...m, [k]: v }))}
              name={`idle-${k}`}
              error={fieldIs(`idleTimeouts.${k}`) ? "From 1 to 1440 minutes." : undefined}
            />
          )}
        </For>
      </fieldset>
      <TextField
        label="Anti-spam work (proof-of-work bits)"
        value={pow()}
        onInput={setPow}
        name="pow"
        help="Each extra bit doubles a whistleblower's waiting time. 4 to 28."
        error={fieldIs("powDifficulty") ? "A whole number from 4 to 28." : undefined}
      />
      <TextField
        label="Tips expire after (days, default for new channels)"
        value={expiry()}
        onInput={setExpiry}
        name="expiry"
        error={fieldIs("expiryDays") ? "A whole number of days from 1 to 3650." : undefined}
      />
      <TextField
        label="Receipt pattern"
        value={pattern()}
        onInput={setPattern}
        name="receiptPattern"
        help="Can only change while the node holds no tip."
        error={fieldIs("receiptPattern") ? "This is not a valid receipt pattern." : undefined}
      />
      <fieldset class="field">
        <legend>Second factor required for</legend>
        <For each={ROLES}>
          {(r) => (
            <label class="check">
              <input
                type="checkbox"
                checked={twoFactor()[r]}
                onChange={(e) => {
                  const on = e.currentTarget.checked
                  setTwoFactor((t) => ({ ...t, [r]: on }))
                }}
              />{" "}
              {KIND_NAMES[r]}
            </label>
          )}
        </For>
      </fieldset>
      <AdminError error={error()} />
      <Show when={saved()}>
        {(now) => (
          <p class="notice" role="status" data-node-name={now().name}>
            {adminMessage("admin.settingsSaved", { name: now().name })}
          </p>
        )}
      </Show>
      <button type="submit">Save settings</button>
    </form>
  )
}

/** Test mail and the list of mails given up on. */
function MailPanel(props: { admin: AdminKeys }): JSX.Element {
  const [health] = createResource(() => loadHealth())
  const [failures] = createResource(() => props.admin.session, loadMailFailures)
  const [to, setTo] = createSignal("")
  const [result, setResult] = createSignal<string>()
  const [error, setError] = createSignal<unknown>()
  const send = async (e: Event) => {
    e.preventDefault()
    setError(undefined)
    setResult(undefined)
    try {
      await sendTestMail(props.admin.session, to().trim())
      setResult(adminMessage("admin.testMailQueued", { to: to().trim() }))
    } catch (err) {
      setError(err)
    }
  }
  return (
    <section class="card" aria-label="Mail">
      <h2>Mail</h2>
      <Show when={health()}>
        {(h) => (
          <p>
            {h().mail
              ? "Notification mail is on."
              : "Notification mail is off (the relay has no SMTP_URL)."}
          </p>
        )}
      </Show>
      <form onSubmit={send} noValidate>
        <TextField label="Send a test mail to" type="email" value={to()} onInput={setTo} />
        <button type="submit">Send test mail</button>
      </form>
      <AdminError error={error()} />
      <Show when={result()}>
        <p class="notice" role="status">
          {result()}
        </p>
      </Show>
      <h3>Mails given up on</h3>
      <AdminError error={failures.error} />
      <Show when={failures.latest}>
        {(list) => (
          <Show when={list().length > 0} fallback={<p class="muted">None.</p>}>
            <ul>
              <For each={list()}>
                {(f) => (
                  <li>
                    {formatTime(f.at)} · {f.template} · {f.attempts} attempts · {f.error}
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </Show>
    </section>
  )
}

/** The admin console's node settings page. */
export default function Settings(): JSX.Element {
  return (
    <AdminShell title="Node settings">
      {(admin) => {
        const [settings] = createResource(() => admin.session, loadSettings)
        return (
          <>
            <AdminError error={settings.error} />
            <Show when={settings()}>{(s) => <SettingsForm admin={admin} settings={s()} />}</Show>
            <MailPanel admin={admin} />
          </>
        )
      }}
    </AdminShell>
  )
}
