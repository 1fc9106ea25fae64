import { createSignal, Index, type JSX } from "solid-js"
import {
  addQuestion,
  moveQuestion,
  QUESTION_TYPES,
  removeQuestion,
  TYPE_NAMES,
  updateQuestion,
} from "../../lib/adminQuestions.js"
import type { Question } from "../../lib/questionnaire.js"
import { QuestionEditor } from "./QuestionEditor.jsx"

/**
 * The questionnaire builder: the list of field editors (edit, move up/down, delete) and an
 * "add field" control for every type. After a move, focus follows the moved field's button so
 * a keyboard user can keep moving it. `errors` holds the relay's complaints by field index.
 */
export function QuestionBuilder(props: {
  questions: readonly Question[]
  errors: Readonly<Record<number, Readonly<Record<string, string>>>>
  /** Whether the channel has a custodian (identity fields need one). */
  hasCustodian?: boolean
  onChange: (questions: Question[]) => void
}): JSX.Element {
  const [type, setType] = createSignal<Question["type"]>("text")
  let list: HTMLOListElement | undefined
  const move = (index: number, delta: -1 | 1) => {
    props.onChange(moveQuestion(props.questions, index, delta))
    const to = index + delta
    queueMicrotask(() => {
      const item = list?.children[to]
      const button = item?.querySelector<HTMLButtonElement>(
        delta < 0 ? "button:not([disabled])" : "button:nth-of-type(2):not([disabled])",
      )
      ;(button ?? item?.querySelector<HTMLButtonElement>("button"))?.focus()
    })
  }
  return (
    <section aria-label="Questionnaire">
      <h2>Questionnaire</h2>
      <ol class="tip-list" ref={list}>
        {/* Index (by position), so typing into a field does not re-create its editor. */}
        <Index each={props.questions}>
          {(q, i) => (
            <QuestionEditor
              question={q()}
              index={i}
              count={props.questions.length}
              errors={props.errors[i] ?? {}}
              hasCustodian={props.hasCustodian ?? false}
              onChange={(patch) => props.onChange(updateQuestion(props.questions, i, patch))}
              onMove={(delta) => move(i, delta)}
              onRemove={() => props.onChange(removeQuestion(props.questions, i))}
            />
          )}
        </Index>
      </ol>
      <div class="actions">
        <label class="inline" for="add-type">
          New field type
        </label>
        <select id="add-type" onChange={(e) => setType(e.currentTarget.value as Question["type"])}>
          {QUESTION_TYPES.map((t) => (
            <option value={t} selected={type() === t}>
              {TYPE_NAMES[t]}
            </option>
          ))}
        </select>
        <button
          type="button"
          class="secondary"
          onClick={() => props.onChange(addQuestion(props.questions, type()))}
        >
          Add field
        </button>
      </div>
    </section>
  )
}
