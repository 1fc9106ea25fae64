import { A, useParams } from "@solidjs/router"
import { createEffect, createResource, createSignal, For, type JSX, Show } from "solid-js"
import { type AdminUser, loadContextForEdit, loadUsers } from "../../lib/adminApi.js"
import { type AdminKeys, drawContextId, saveContext } from "../../lib/adminKeys.js"
import { adminMessage } from "../../lib/adminMessages.js"
import { questionOfField } from "../../lib/adminQuestions.js"
import { errorCode, errorField } from "../../lib/errors.js"
import type { Question } from "../../lib/questionnaire.js"
import { AdminError, AdminShell } from "../../ui/admin/AdminShell.jsx"
import {
  DEFAULT_DEADLINE_DRAFT,
  type DeadlineDraft,
  DeadlineSettings,
} from "../../ui/admin/DeadlineSettings.jsx"
import { QuestionBuilder } from "../../ui/admin/QuestionBuilder.jsx"
import { QuestionPreview } from "../../ui/admin/QuestionPreview.jsx"
import { TextField } from "../../ui/Field.jsx"
import { ProgressBar } from "../../ui/Notice.jsx"

const MIB = 1024 * 1024

/** What the relay's complaint about a body field means, in words. */
const FIELD_TEXT: Readonly<Record<string, string>> = {
  name: "Give the channel a name (at most 100 characters).",
  description: "At most 5000 characters.",
  recipients: adminMessage("admin.needsRecipient"),
  expiryDays: "A whole number of days from 1 to 3650.",
  maxFiles: "A whole number from 0 to 100.",
  maxFileBytes: "A size from 1 byte to 8 GiB.",
  label: "Each field needs a question of at most 500 characters.",
  help: "At most 2000 characters.",
  options: "Give 1 to 50 different options of at most 200 characters each.",
  type: "Choose a type.",
  custodians: "Each custodian must have the custodian role, be enabled and have logged in once.",
  identity: "Identity fields need a custodian on this channel, and cannot be file fields.",
  "deadlines.ackDays": "A whole number of days from 1 to 365.",
  "deadlines.feedbackDays": "A whole number of days from 1 to 365.",
}

/** One channel's editor: settings, recipients, the questionnaire builder and its preview. */
function Editor(props: { admin: AdminKeys; contextId?: string }): JSX.Element {
  // A new channel's id is drawn once; after its first save, later saves update it.
  const [created, setCreated] = createSignal(false)
  const contextId = props.contextId ?? drawContextId()
  const [users, { refetch: reloadUsers }] = createResource(() => props.admin.session, loadUsers)
  const [existing] = createResource(
    () => props.contextId,
    (id) => loadContextForEdit(id),
  )
  const [name, setName] = createSignal("")
  const [description, setDescription] = createSignal("")
  const [recipients, setRecipients] = createSignal<string[]>([])
  const [custodians, setCustodians] = createSignal<string[]>([])
  const [expiryDays, setExpiryDays] = createSignal("90")
  const [maxFiles, setMaxFiles] = createSignal("10")
  const [maxFileMiB, setMaxFileMiB] = createSignal("100")
  const [questions, setQuestions] = createSignal<Question[]>([])
  const [deadlines, setDeadlines] = createSignal<DeadlineDraft>(DEFAULT_DEADLINE_DRAFT)
  const [saving, setSaving] = createSignal(false)
  const [saved, setSaved] = createSignal(false)
  const [error, setError] = createSignal<unknown>()
  let loaded = false
  const fill = () => {
    const e = existing()
    if (!e || loaded) return
    loaded = true
    setName(e.context.name)
    setDescription(e.context.description)
    setRecipients(e.recipients)
    setCustodians(e.custodians)
    setExpiryDays(String(e.context.expiryDays))
    setMaxFiles(String(e.context.maxFiles))
    setMaxFileMiB(String(Math.max(1, Math.round(e.context.maxFileBytes / MIB))))
    setQuestions([...e.context.questionnaire])
    const d = e.context.deadlines
    setDeadlines({
      ackDays: String(d.ackDays),
      feedbackDays: String(d.feedbackDays),
      acknowledgeBy: d.acknowledgeBy,
    })
  }
  createEffect(fill)
  const keyed = () =>
    (users.latest ?? []).filter((u) => u.publicKey && !u.disabled && u.role !== "custodian")
  // Created but not logged in yet: no key to seal to, so shown but not selectable.
  const waiting = () =>
    (users.latest ?? []).filter((u) => !u.publicKey && !u.disabled && u.role !== "custodian")
  const keepers = () =>
    (users.latest ?? []).filter((u) => u.publicKey && !u.disabled && u.role === "custodian")

  const field = () => errorField(error())
  const fieldError = (key: string) =>
    field() === `body.${key}` || field()?.startsWith(`body.${key}.`) ? FIELD_TEXT[key] : undefined
  const questionErrors = () => {
    const q = questionOfField(field())
    return q ? { [q.index]: { [q.key]: FIELD_TEXT[q.key] ?? "Check this." } } : {}
  }

  const save = async (e: Event) => {
    e.preventDefault()
    setError(undefined)
    setSaved(false)
    if (recipients().length === 0) {
      setError({ code: "VALIDATION", field: "body.recipients" })
      return
    }
    setSaving(true)
    try {
      await saveContext(
        props.admin,
        contextId,
        {
          name: name().trim(),
          description: description().trim(),
          recipients: recipients(),
          custodians: custodians(),
          questionnaire: questions(),
          expiryDays: Number(expiryDays()),
          maxFiles: Number(maxFiles()),
          maxFileBytes: Math.round(Number(maxFileMiB()) * MIB),
          deadlines: {
            ackDays: Number(deadlines().ackDays),
            feedbackDays: Number(deadlines().feedbackDays),
            acknowledgeBy: deadlines().acknowledgeBy,
          },
        },
        users.latest ?? [],
        props.contextId === undefined && !created(),
      )
      setCreated(true)
      setSaved(true)
    } catch (err) {
      setError(err)
    } finally {
      setSaving(false)
    }
  }
  const toggle = (u: AdminUser, on: boolean) =>
    setRecipients((list) => (on ? [...list, u.id] : list.filter((id) => id !== u.id)))
  const toggleCustodian = (u: AdminUser, on: boolean) =>
    setCustodians((list) => (on ? [...list, u.id] : list.filter((id) => id !== u.id)))

  return (
    <Show
      when={props.contextId === undefined || existing()}
      fallback={<AdminError error={existing.error} />}
    >
      <form
        class="context-editor"
        onSubmit={save}
        noValidate
        aria-label="Channel"
        data-context={contextId}
      >
        <TextField
          label="Name"
          value={name()}
          onInput={setName}
          required
          name="channel-name"
          error={fieldError("name")}
        />
        <div class="field">
          <label for="ctx-description">Description (shown to whistleblowers)</label>
          <textarea
            id="ctx-description"
            value={description()}
            onInput={(e) => setDescription(e.currentTarget.value)}
          />
          <Show when={fieldError("description")}>
            <small class="field-error">{fieldError("description")}</small>
          </Show>
        </div>
        <fieldset class="field" aria-describedby="ctx-recipients-error">
          <legend>Recipients</legend>
          <Show when={keyed().length > 0} fallback={<p>{adminMessage("admin.noRecipients")}</p>}>
            <For each={keyed()}>
              {(u) => (
                <label class="check">
                  <input
                    type="checkbox"
                    name="recipient"
                    value={u.username}
                    checked={recipients().includes(u.id)}
                    onChange={(e) => toggle(u, e.currentTarget.checked)}
                  />{" "}
                  {u.name} <span class="mono">({u.username})</span>
                </label>
              )}
            </For>
          </Show>
          <For each={waiting()}>
            {(u) => (
              <label class="check" data-waiting={u.username}>
                <input type="checkbox" name="recipient" value={u.username} disabled /> {u.name}{" "}
                <span class="mono">({u.username})</span> — waiting for first login
              </label>
            )}
          </For>
          <Show when={waiting().length > 0}>
            <p>
              <button type="button" class="secondary" onClick={() => void reloadUsers()}>
                Reload the accounts
              </button>
            </p>
          </Show>
          <Show when={fieldError("recipients")}>
            <small id="ctx-recipients-error" class="field-error">
              {fieldError("recipients")}
            </small>
          </Show>
        </fieldset>
        <fieldset class="field">
          <legend>Identity custodians</legend>
          <Show
            when={keepers().length > 0}
            fallback={
              <p>
                No user with the custodian role has logged in yet. Create one (role Custodian) to
                let whistleblowers state their identity behind a custodian.
              </p>
            }
          >
            <For each={keepers()}>
              {(u) => (
                <label class="check">
                  <input
                    type="checkbox"
                    name="custodian"
                    value={u.username}
                    checked={custodians().includes(u.id)}
                    onChange={(e) => toggleCustodian(u, e.currentTarget.checked)}
                  />{" "}
                  {u.name} <span class="mono">({u.username})</span>
                </label>
              )}
            </For>
          </Show>
          <Show when={fieldError("custodians")}>
            <small class="field-error">{fieldError("custodians")}</small>
          </Show>
        </fieldset>
        <TextField
          label="Tips expire after (days)"
          value={expiryDays()}
          onInput={setExpiryDays}
          name="expiryDays"
          error={fieldError("expiryDays")}
        />
        <TextField
          label="Most files per tip"
          value={maxFiles()}
          onInput={setMaxFiles}
          name="maxFiles"
          error={fieldError("maxFiles")}
        />
        <TextField
          label="Largest file (MiB)"
          value={maxFileMiB()}
          onInput={setMaxFileMiB}
          name="maxFileMiB"
          error={fieldError("maxFileBytes")}
        />
        <DeadlineSettings value={deadlines()} onChange={setDeadlines} error={fieldError} />
        <QuestionBuilder
          questions={questions()}
          errors={questionErrors()}
          hasCustodian={custodians().length > 0}
          onChange={setQuestions}
        />
        <Show when={saving()}>
          <ProgressBar label="Signing the list of recipients and saving" done={0} total={1} />
        </Show>
        <Show when={errorCode(error()) !== "VALIDATION" || !field()}>
          <AdminError error={error()} />
        </Show>
        <Show when={errorCode(error()) === "VALIDATION" && field()}>
          <p class="notice error" role="alert">
            {adminMessage("error.VALIDATION")}
          </p>
        </Show>
        <Show when={saved()}>
          <p class="notice" role="status">
            {adminMessage("admin.contextSaved")}
          </p>
        </Show>
        <p class="actions">
          <button type="submit" disabled={saving()}>
            Save channel
          </button>
          <A href="/admin/contexts">Back to channels</A>
        </p>
      </form>
      <QuestionPreview questions={questions()} />
    </Show>
  )
}

/** `/admin/contexts/new` and `/admin/contexts/:contextId`: the channel editor. */
export default function ContextEdit(): JSX.Element {
  const params = useParams<{ contextId?: string }>()
  return (
    <AdminShell title={params.contextId ? "Edit channel" : "New channel"}>
      {(admin) => (
        <Show when={params.contextId ?? "new"} keyed>
          {(id) => <Editor admin={admin} {...(id === "new" ? {} : { contextId: id })} />}
        </Show>
      )}
    </AdminShell>
  )
}
