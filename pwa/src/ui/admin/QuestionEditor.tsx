import { createUniqueId, type JSX, Show } from "solid-js"
import { hasOptions, parseOptions, QUESTION_TYPES, TYPE_NAMES } from "../../lib/adminQuestions.js"
import type { Question } from "../../lib/questionnaire.js"

/**
 * The editor of one questionnaire field: type, label, help, required, options (one per line for
 * choice types), and buttons to move it up or down or delete it. `errors` maps an input
 * (`label`, `help`, `options`, `type`) to the relay's complaint about it.
 */
export function QuestionEditor(props: {
  question: Question
  index: number
  count: number
  errors: Readonly<Record<string, string>>
  /** Whether the channel has a custodian: identity fields need one. */
  hasCustodian: boolean
  onChange: (patch: Partial<Omit<Question, "id">>) => void
  onMove: (delta: -1 | 1) => void
  onRemove: () => void
}): JSX.Element {
  const id = createUniqueId()
  const q = () => props.question
  const n = () => props.index + 1
  const err = (key: string) => props.errors[key]
  return (
    <li class="card question-editor" data-question={q().id} aria-label={`Field ${n()}`}>
      <p class="admin-head">
        <strong>Field {n()}</strong> <span class="badge">{TYPE_NAMES[q().type]}</span>
      </p>
      <div class="field">
        <label for={`${id}-type`}>Type</label>
        <select
          id={`${id}-type`}
          onChange={(e) => props.onChange({ type: e.currentTarget.value as Question["type"] })}
        >
          {QUESTION_TYPES.map((t) => (
            <option value={t} selected={q().type === t}>
              {TYPE_NAMES[t]}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={`${id}-label`}>Question</label>
        <input
          id={`${id}-label`}
          value={q().label}
          maxLength={500}
          aria-invalid={err("label") ? "true" : undefined}
          aria-describedby={`${id}-label-error`}
          onInput={(e) => props.onChange({ label: e.currentTarget.value })}
        />
        <Show when={err("label")}>
          <small id={`${id}-label-error`} class="field-error">
            {err("label")}
          </small>
        </Show>
      </div>
      <div class="field">
        <label for={`${id}-help`}>Help text (optional)</label>
        <input
          id={`${id}-help`}
          value={q().help ?? ""}
          maxLength={2000}
          aria-invalid={err("help") ? "true" : undefined}
          aria-describedby={`${id}-help-error`}
          onInput={(e) => {
            const help = e.currentTarget.value
            props.onChange(help ? { help } : { help: undefined })
          }}
        />
        <Show when={err("help")}>
          <small id={`${id}-help-error`} class="field-error">
            {err("help")}
          </small>
        </Show>
      </div>
      <Show when={hasOptions(q().type)}>
        <div class="field">
          <label for={`${id}-options`}>Options (one per line)</label>
          <textarea
            id={`${id}-options`}
            value={(q().options ?? []).join("\n")}
            aria-invalid={err("options") ? "true" : undefined}
            aria-describedby={`${id}-options-error`}
            onChange={(e) => props.onChange({ options: parseOptions(e.currentTarget.value) })}
          />
          <Show when={err("options")}>
            <small id={`${id}-options-error`} class="field-error">
              {err("options")}
            </small>
          </Show>
        </div>
      </Show>
      <div class="field">
        <label class="check">
          <input
            type="checkbox"
            checked={q().required}
            onChange={(e) => props.onChange({ required: e.currentTarget.checked })}
          />{" "}
          Required
        </label>
      </div>
      <Show when={q().type !== "file"}>
        <div class="field">
          <label class="check">
            <input
              type="checkbox"
              name="identity"
              checked={q().identity === true}
              disabled={!props.hasCustodian && q().identity !== true}
              aria-describedby={`${id}-identity-help`}
              onChange={(e) =>
                props.onChange(
                  e.currentTarget.checked ? { identity: true } : { identity: undefined },
                )
              }
            />{" "}
            Identity field (sealed for custodians only)
          </label>
          <small id={`${id}-identity-help`} data-identity-help>
            {props.hasCustodian
              ? "The answer is sealed apart; recipients read it only when a custodian approves their request."
              : "Add a custodian to this channel first: an identity answer is sealed to its custodians, so without one nobody could ever release it."}
          </small>
          <Show when={err("identity")}>
            <small class="field-error">{err("identity")}</small>
          </Show>
        </div>
      </Show>
      <p class="actions">
        <button
          type="button"
          class="secondary"
          disabled={props.index === 0}
          aria-label={`Move up field ${n()}`}
          onClick={() => props.onMove(-1)}
        >
          Move up
        </button>
        <button
          type="button"
          class="secondary"
          disabled={props.index === props.count - 1}
          aria-label={`Move down field ${n()}`}
          onClick={() => props.onMove(1)}
        >
          Move down
        </button>
        <button
          type="button"
          class="secondary"
          aria-label={`Delete field ${n()}`}
          onClick={() => props.onRemove()}
        >
          Delete
        </button>
      </p>
    </li>
  )
}
