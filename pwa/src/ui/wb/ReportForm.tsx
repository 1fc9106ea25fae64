import { For, type JSX, Show } from "solid-js"
import { createStore } from "solid-js/store"
import { t, tp } from "../../i18n/index.js"
import {
  ATTACHMENTS_FIELD,
  buildAnswers,
  type ContextView,
  type FieldValue,
  type FormValues,
  initialValues,
  validate,
} from "../../lib/questionnaire.js"
import { limitProblem } from "../../lib/wbFiles.js"
import { createAttachments, type ReadyFile } from "./attachments.js"
import { FilePicker } from "./FilePicker.jsx"
import { QuestionField, questionInputId } from "./QuestionField.jsx"

/** What the form hands over once everything is valid. */
export interface ReportDraft {
  readonly answers: Record<string, string | boolean | string[]>
  readonly files: readonly ReadyFile[]
}

/**
 * The questionnaire of a context as a form: every field type, files with their SHA-256, limits
 * and harmful-type warnings, validation on submit (the first invalid field gets focus). Sending
 * is the caller's: `onSend` runs only with valid answers and hashed files; `blocked` disables it.
 */
export function ReportForm(props: {
  context: ContextView
  blocked: boolean
  busy: boolean
  onSend: (draft: ReportDraft) => void
  children?: JSX.Element
}): JSX.Element {
  const questions = () => props.context.questionnaire
  const fileFields = () => questions().filter((q) => q.type === "file")
  const extraField = () => fileFields().length === 0 && props.context.maxFiles > 0
  const [values, setValues] = createStore<FormValues>(initialValues(questions()))
  const attachments = createAttachments()
  const files = attachments.byField
  const [errors, setErrors] = createStore<{ fields: Record<string, string>; form?: string }>({
    fields: {},
  })
  const limits = () =>
    limitProblem(
      attachments.all().map((a) => a.file),
      props.context,
    )

  const submit = async (e: SubmitEvent) => {
    e.preventDefault()
    if (props.blocked || props.busy) return
    const counts = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v.length]))
    const fields = validate(questions(), values, counts)
    const limit = limits()
    // A limits problem is already shown live beside the files; only field errors get a summary.
    const invalid = Object.keys(fields).length > 0
    setErrors({ fields, form: invalid ? t("wb.fixErrors") : undefined })
    const first = questions().find((q) => fields[q.id])
    if (first) {
      document.getElementById(questionInputId(first.id))?.focus()
      return
    }
    if (limit) return
    let ready: ReadyFile[]
    try {
      ready = await attachments.ready()
    } catch {
      setErrors("form", t("file.unreadable"))
      return
    }
    const names = Object.fromEntries(
      Object.entries(files).map(([field, list]) => [field, list.map((a) => a.file.name)]),
    )
    props.onSend({ answers: buildAnswers(questions(), values, names), files: ready })
  }

  const picker = (id: string, label: string, help: string | undefined, required: boolean) => (
    <FilePicker
      id={questionInputId(id)}
      label={label}
      help={help}
      required={required}
      error={errors.fields[id]}
      disabled={props.busy}
      files={files[id] ?? []}
      onAdd={(picked) => attachments.add(id, picked)}
      onRemove={(key) => attachments.remove(id, key)}
    />
  )

  return (
    <form noValidate onSubmit={submit} aria-describedby="form-error">
      <p>
        <small>
          {t("form.requiredNote")}{" "}
          {props.context.maxFiles > 0
            ? tp("form.maxFiles", props.context.maxFiles)
            : t("form.noFiles")}
        </small>
      </p>
      <For each={questions()}>
        {(q) =>
          q.type === "file" ? (
            picker(q.id, q.label, q.help, q.required)
          ) : (
            <QuestionField
              question={q}
              value={values[q.id] as FieldValue}
              error={errors.fields[q.id]}
              disabled={props.busy}
              onChange={(v) => setValues(q.id, v)}
            />
          )
        }
      </For>
      <Show when={extraField()}>
        {picker(ATTACHMENTS_FIELD, t("form.attachments"), t("form.attachmentsHelp"), false)}
      </Show>
      <Show when={limits()}>
        <p class="notice error" role="alert">
          {limits()}
        </p>
      </Show>
      <Show when={errors.form}>
        <p id="form-error" class="notice error" role="alert">
          {errors.form}
        </p>
      </Show>
      {props.children}
      <div class="actions">
        <button type="submit" disabled={props.blocked || props.busy}>
          {t("form.send")}
        </button>
      </div>
    </form>
  )
}
