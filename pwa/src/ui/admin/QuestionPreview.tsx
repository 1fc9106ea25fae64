import { For, type JSX, Show } from "solid-js"
import { createStore } from "solid-js/store"
import { emptyValue, type FieldValue, type Question } from "../../lib/questionnaire.js"
import { FilePicker } from "../wb/FilePicker.jsx"
import { QuestionField } from "../wb/QuestionField.jsx"

/**
 * A live preview of a questionnaire rendered with the whistleblower's own field components, so
 * the admin sees the form as it will be. Values typed here stay in the preview.
 */
export function QuestionPreview(props: { questions: readonly Question[] }): JSX.Element {
  const [values, setValues] = createStore<Record<string, FieldValue>>({})
  return (
    <section class="card preview" aria-label="Preview of the form">
      <h2>Preview</h2>
      <Show when={props.questions.length > 0} fallback={<p class="muted">No fields yet.</p>}>
        <For each={props.questions}>
          {(q) => (
            <Show
              when={q.type !== "file"}
              fallback={
                <FilePicker
                  id={`preview-${q.id}`}
                  label={q.label}
                  help={q.help}
                  required={q.required}
                  files={[]}
                  onAdd={() => undefined}
                  onRemove={() => undefined}
                />
              }
            >
              <QuestionField
                question={{ ...q, id: `preview-${q.id}` }}
                value={values[q.id] ?? emptyValue(q)}
                onChange={(v) => setValues(q.id, v)}
              />
            </Show>
          )}
        </For>
      </Show>
    </section>
  )
}
