import { createSignal, For, type JSX, Show } from "solid-js"
import { type NodeSettingsView, saveSettings } from "../../lib/adminApi.js"
import type { AdminKeys } from "../../lib/adminKeys.js"
import { adminMessage } from "../../lib/adminMessages.js"
import { errorField } from "../../lib/errors.js"
import { TextField } from "../Field.jsx"
import { AdminError } from "./AdminShell.jsx"

type Kind = keyof NodeSettingsView["mailTemplates"]
type Template = NodeSettingsView["mailTemplates"][Kind]

/** What each kind of mail is for, as the console names it. */
const KIND_NAMES: Readonly<Record<Kind, string>> = {
  activity: "New activity on a tip",
  reminder: "A tip expires soon",
  deadlineSoon: "A tip's deadline is near",
  deadlineDue: "A tip's deadline is reached",
  test: "Test mail",
  passwordReset: "Password reset with escrow",
  accountRecovered: "Account opened with its recovery key",
  secondFactorCode: "Login code by mail",
  secondFactorReset: "Second factors removed",
  escrowRead: "Escrow key used on an account",
}

/**
 * The notification templates, one editor per kind: subject and text with the `{{placeholders}}`
 * that kind may use (listed), saved or put back to the default one kind at a time. Mails never
 * carry tip content: no placeholder holds any.
 */
export function MailTemplates(props: {
  admin: AdminKeys
  settings: NodeSettingsView
}): JSX.Element {
  const kinds = Object.keys(KIND_NAMES) as Kind[]
  return (
    <section class="card" aria-label="Mail templates">
      <h2>Mail templates</h2>
      <p class="muted">
        Placeholders in double braces are filled when a mail is sent. Mails never contain what a tip
        says.
      </p>
      <For each={kinds}>
        {(kind) => (
          <TemplateEditor
            admin={props.admin}
            kind={kind}
            start={props.settings.mailTemplates[kind]}
          />
        )}
      </For>
    </section>
  )
}

function TemplateEditor(props: { admin: AdminKeys; kind: Kind; start: Template }): JSX.Element {
  const [subject, setSubject] = createSignal(props.start.subject)
  const [text, setText] = createSignal(props.start.text)
  const [custom, setCustom] = createSignal(props.start.custom)
  const [error, setError] = createSignal<unknown>()
  const [notice, setNotice] = createSignal<string>()
  const where = `body.mailTemplates.${props.kind}`
  const fieldError = (part: "subject" | "text") => {
    if (errorField(error()) !== `${where}.${part}`) return undefined
    // The relay names the placeholder or limit; its sentence follows the field name.
    const detail = (error() as Error).message.replace(/^"[^"]*"\s*/, "")
    return `${adminMessage("admin.templateInvalid")} (This one ${detail}.)`
  }
  const send = async (edit: { subject: string; text: string } | null) => {
    setError(undefined)
    setNotice(undefined)
    try {
      const now = await saveSettings(props.admin.session, { mailTemplates: { [props.kind]: edit } })
      const t = now.mailTemplates[props.kind]
      setSubject(t.subject)
      setText(t.text)
      setCustom(t.custom)
      setNotice(adminMessage(edit ? "admin.templateSaved" : "admin.templateReset"))
    } catch (err) {
      setError(err)
    }
  }
  const textId = `template-${props.kind}-text`
  return (
    <form
      class="template"
      data-template={props.kind}
      aria-label={`Template: ${KIND_NAMES[props.kind]}`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void send({ subject: subject(), text: text() })
      }}
    >
      <h3>
        {KIND_NAMES[props.kind]}
        <Show when={custom()}>
          {" "}
          <span class="badge">Edited</span>
        </Show>
      </h3>
      <p class="muted">
        <small>Placeholders: {props.start.placeholders.map((p) => `{{${p}}}`).join(", ")}</small>
      </p>
      <TextField
        label="Subject"
        name={`template-${props.kind}-subject`}
        value={subject()}
        onInput={setSubject}
        error={fieldError("subject")}
      />
      <div class="field">
        <label for={textId}>Text</label>
        <textarea
          id={textId}
          rows="6"
          value={text()}
          aria-invalid={fieldError("text") ? "true" : undefined}
          aria-describedby={`${textId}-error`}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <Show when={fieldError("text")}>
          <small id={`${textId}-error`} class="field-error">
            {fieldError("text")}
          </small>
        </Show>
      </div>
      <Show when={errorField(error()) === undefined}>
        <AdminError error={error()} />
      </Show>
      <Show when={notice()}>
        <p class="notice" role="status">
          {notice()}
        </p>
      </Show>
      <p class="actions">
        <button type="submit">Save template</button>
        <button
          type="button"
          class="secondary"
          onClick={() => void send(null)}
          disabled={!custom()}
        >
          Reset to default
        </button>
      </p>
    </form>
  )
}
