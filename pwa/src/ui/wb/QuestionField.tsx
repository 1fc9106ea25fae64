import { For, type JSX, Match, Show, Switch } from "solid-js"
import { t } from "../../i18n/index.js"
import type { FieldValue, Question } from "../../lib/questionnaire.js"

/** The DOM id of a question's input (the first checkbox of a group): for labels and focus. */
export function questionInputId(questionId: string): string {
  return `q-${questionId}`
}

function Marker(props: { required: boolean }): JSX.Element {
  return (
    <Show when={props.required} fallback={<span class="optional"> {t("form.optional")}</span>}>
      <span class="req" aria-hidden="true">
        {" "}
        *
      </span>
    </Show>
  )
}

/**
 * One questionnaire field (every type but `file`, which the form renders with its FilePicker):
 * labelled, required or optional marked, help and error linked with aria-describedby.
 */
export function QuestionField(props: {
  question: Question
  value: FieldValue
  error?: string | undefined
  disabled?: boolean
  onChange: (value: FieldValue) => void
}): JSX.Element {
  const id = () => questionInputId(props.question.id)
  const described = () => `${id()}-help ${id()}-error`
  const invalid = () => (props.error ? "true" : undefined)
  const text = () => (typeof props.value === "string" ? props.value : "")
  const list = () => (Array.isArray(props.value) ? props.value : [])
  const notes = () => (
    <>
      <Show when={props.question.help}>
        <small id={`${id()}-help`}>{props.question.help}</small>
      </Show>
      <Show when={props.question.identity}>
        <small class="identity-note" data-identity-note>
          {t("form.identityNote")}
        </small>
      </Show>
      <Show when={props.error}>
        <small id={`${id()}-error`} class="field-error">
          {props.error}
        </small>
      </Show>
    </>
  )
  return (
    <Switch>
      <Match when={props.question.type === "multiselect"}>
        <fieldset class="field" aria-describedby={described()}>
          <legend>
            <bdi>{props.question.label}</bdi>
            <Marker required={props.question.required} />
          </legend>
          <For each={props.question.options ?? []}>
            {(option, i) => (
              <label class="check">
                <input
                  type="checkbox"
                  id={i() === 0 ? id() : undefined}
                  disabled={props.disabled}
                  checked={list().includes(option)}
                  onChange={(e) =>
                    props.onChange(
                      e.currentTarget.checked
                        ? [...list(), option]
                        : list().filter((v) => v !== option),
                    )
                  }
                />{" "}
                {option}
              </label>
            )}
          </For>
          {notes()}
        </fieldset>
      </Match>
      <Match when={props.question.type === "checkbox"}>
        <div class="field">
          <label class="check">
            <input
              id={id()}
              type="checkbox"
              disabled={props.disabled}
              checked={props.value === true}
              required={props.question.required}
              aria-invalid={invalid()}
              aria-describedby={described()}
              onChange={(e) => props.onChange(e.currentTarget.checked)}
            />{" "}
            <bdi>{props.question.label}</bdi>
            <Marker required={props.question.required} />
          </label>
          {notes()}
        </div>
      </Match>
      <Match when={true}>
        <div class="field">
          <label for={id()}>
            <bdi>{props.question.label}</bdi>
            <Marker required={props.question.required} />
          </label>
          <Switch
            fallback={
              <input
                id={id()}
                type={props.question.type === "date" ? "date" : "text"}
                dir="auto"
                value={text()}
                disabled={props.disabled}
                required={props.question.required}
                autocomplete="off"
                aria-invalid={invalid()}
                aria-describedby={described()}
                onInput={(e) => props.onChange(e.currentTarget.value)}
              />
            }
          >
            <Match when={props.question.type === "textarea"}>
              <textarea
                id={id()}
                dir="auto"
                value={text()}
                disabled={props.disabled}
                required={props.question.required}
                aria-invalid={invalid()}
                aria-describedby={described()}
                onInput={(e) => props.onChange(e.currentTarget.value)}
              />
            </Match>
            <Match when={props.question.type === "select"}>
              <select
                id={id()}
                disabled={props.disabled}
                required={props.question.required}
                aria-invalid={invalid()}
                aria-describedby={described()}
                onChange={(e) => props.onChange(e.currentTarget.value)}
              >
                <option value="" selected={text() === ""}>
                  {t("form.choose")}
                </option>
                <For each={props.question.options ?? []}>
                  {(option) => (
                    <option value={option} selected={text() === option}>
                      {option}
                    </option>
                  )}
                </For>
              </select>
            </Match>
          </Switch>
          {notes()}
        </div>
      </Match>
    </Switch>
  )
}
