import { type NodeManifest, receiptStrength } from "@sotto/crypto-core"
import { createResource, createSignal, For, type JSX, Show } from "solid-js"
import {
  loadMailFailures,
  loadSettings,
  mailIsOn,
  type NodeSettingsView,
  saveSettings,
  sendTestMail,
} from "../../lib/adminApi.js"
import type { AdminKeys } from "../../lib/adminKeys.js"
import { resignFor, verifiedManifest } from "../../lib/adminManifest.js"
import { adminMessage } from "../../lib/adminMessages.js"
import { errorField } from "../../lib/errors.js"
import { formatTime } from "../../lib/format.js"
import { nodeChanged } from "../../lib/nodeInfo.js"
import { AdminError, AdminShell } from "../../ui/admin/AdminShell.jsx"
import { EscrowQuorumCard } from "../../ui/admin/EscrowQuorumCard.jsx"
import { type LanguageChoice, LanguageSettings } from "../../ui/admin/LanguageSettings.jsx"
import { MailTemplates } from "../../ui/admin/MailTemplates.jsx"
import { SmtpForm } from "../../ui/admin/SmtpForm.jsx"
import { TipPolicyForm } from "../../ui/admin/TipPolicyForm.jsx"
import { TextField } from "../../ui/Field.jsx"

const ROLES = ["admin", "recipient", "custodian"] as const
const KINDS = ["admin", "recipient", "custodian", "wb"] as const
const KIND_NAMES: Readonly<Record<(typeof KINDS)[number], string>> = {
  admin: "administrators",
  recipient: "recipients",
  custodian: "custodians",
  wb: "whistleblowers",
}

/**
 * The settings form, filled from the stored settings and the verified manifest; saving a field
 * the manifest covers re-signs it here (lib/adminManifest.ts) in the same request.
 */
function SettingsForm(props: {
  admin: AdminKeys
  settings: NodeSettingsView
  manifest: NodeManifest
}): JSX.Element {
  const s = props.settings
  const [manifestVersion, setManifestVersion] = createSignal(props.manifest.version)
  const [powMax, setPowMax] = createSignal(String(props.manifest.pow.maxDifficulty))
  const [name, setName] = createSignal(s.name)
  const [logo, setLogo] = createSignal(s.logoText ?? "")
  const [languages, setLanguages] = createSignal<LanguageChoice>(s.languages)
  const [minScore, setMinScore] = createSignal<3 | 4>(s.passwordPolicy.minScore)
  const [minLength, setMinLength] = createSignal(String(s.passwordPolicy.minLength))
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
    const most = Number(powMax())
    if (!Number.isInteger(most) || most < Number(pow()) || most > 28) {
      // Checked before signing: the node key signs only bounds that hold the base difficulty.
      setError({ code: "VALIDATION", field: "body.powMax" })
      return
    }
    try {
      const manifest = await resignFor(props.admin, {
        name: name().trim(),
        receiptPattern: pattern(),
        powDifficulty: Number(pow()),
        powMax: Number(powMax()),
      })
      const now = await saveSettings(props.admin.session, {
        ...(manifest ? { manifest } : {}),
        name: name().trim(),
        ...(logo().trim() ? { logoText: logo().trim() } : s.logoText ? { logoText: null } : {}),
        languages: { enabled: [...languages().enabled], default: languages().default },
        passwordPolicy: { minScore: minScore(), minLength: Number(minLength()) },
        idleTimeouts: Object.fromEntries(
          KINDS.map((k) => [k, Math.round(Number(idle()[k]) * 60_000)]),
        ),
        powDifficulty: Number(pow()),
        expiryDays: Number(expiry()),
        twoFactorRequired: twoFactor(),
        ...(pattern() !== s.receipt.pattern ? { receiptPattern: pattern() } : {}),
      })
      // This browser pins the version it just signed, as every client will.
      if (manifest) setManifestVersion((await verifiedManifest()).version)
      setSaved(now)
      // The header shows the name and logo text: let it follow.
      void nodeChanged()
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
      <TextField
        label="Logo text (shown in the header before the name)"
        value={logo()}
        onInput={setLogo}
        name="logo-text"
        help="A few characters, like an abbreviation. Leave empty for none."
        error={fieldIs("logoText") ? "At most 40 characters." : undefined}
      />
      <LanguageSettings
        value={languages()}
        onChange={setLanguages}
        error={
          fieldIs("languages") ? "Enable at least one language, the default among them." : undefined
        }
      />
      <fieldset class="field">
        <legend>Staff passwords</legend>
        <div class="field">
          <label for="policy-score">Strength needed</label>
          <select
            id="policy-score"
            name="policy-score"
            value={String(minScore())}
            onChange={(e) => setMinScore(e.currentTarget.value === "4" ? 4 : 3)}
          >
            <option value="3">Good (zxcvbn score 3)</option>
            <option value="4">Strong (zxcvbn score 4)</option>
          </select>
        </div>
        <TextField
          label="Minimum length (characters)"
          value={minLength()}
          onInput={setMinLength}
          name="policy-length"
          help="Applies to new passwords from now on (first login, changes). 8 to 128."
          error={fieldIs("passwordPolicy") ? "A whole number from 8 to 128." : undefined}
        />
      </fieldset>
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
        label="Most proof-of-work bits a device accepts (signed)"
        value={powMax()}
        onInput={setPowMax}
        name="powMax"
        help="Whistleblowers' devices refuse a challenge above this, so a seized server cannot freeze them. At least the bits above, at most 28."
        error={fieldIs("powMax") ? "At least the anti-spam bits above, at most 28." : undefined}
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
        help={`${receiptStrength(pattern()).text}. Can only change while the node holds no tip.`}
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
      <p class="muted" data-testid="manifest-version">
        {adminMessage("admin.manifestVersion", { version: String(manifestVersion()) })}
      </p>
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

/** Whether mail is on, the test mail (sent with the stored settings) and mails given up on. */
function MailPanel(props: { admin: AdminKeys; version: number }): JSX.Element {
  const [mailOn] = createResource(() => props.version, mailIsOn)
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
      <Show when={mailOn.latest !== undefined}>
        <p data-mail-on={String(mailOn.latest)}>
          {mailOn.latest
            ? "Notification mail is on."
            : "Notification mail is off: enter a mail server above (or set SMTP_URL on the relay)."}
        </p>
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
        const [manifest] = createResource(verifiedManifest)
        // Bumped when the mail server changes, so the panel asks the relay again.
        const [mailVersion, setMailVersion] = createSignal(0)
        return (
          <>
            <AdminError error={settings.error ?? manifest.error} />
            <Show when={settings()}>
              {(s) => (
                <>
                  <Show when={manifest()}>
                    {(m) => <SettingsForm admin={admin} settings={s()} manifest={m()} />}
                  </Show>
                  <TipPolicyForm admin={admin} settings={s()} />
                  <Show when={s().escrow.enabled}>
                    <EscrowQuorumCard admin={admin} />
                  </Show>
                  <SmtpForm
                    admin={admin}
                    settings={s()}
                    onSaved={() => setMailVersion((v) => v + 1)}
                  />
                  <MailPanel admin={admin} version={mailVersion()} />
                  <MailTemplates admin={admin} settings={s()} />
                </>
              )}
            </Show>
          </>
        )
      }}
    </AdminShell>
  )
}
