import { createUniqueId, type JSX, Show } from "solid-js"

/** A labelled text input with help and an inline error (aria-describedby links them). */
export function TextField(props: {
  label: string
  value: string
  onInput: (value: string) => void
  type?: "text" | "password" | "email" | "date"
  required?: boolean
  help?: string
  error?: string | undefined
  autocomplete?: string
  name?: string
}): JSX.Element {
  const id = createUniqueId()
  return (
    <div class="field">
      <label for={id}>
        {props.label}
        <Show when={props.required}>
          <span class="req" aria-hidden="true">
            {" "}
            *
          </span>
        </Show>
      </label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        value={props.value}
        required={props.required}
        autocomplete={props.autocomplete ?? "off"}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={`${id}-help ${id}-error`}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      <Show when={props.help}>
        <small id={`${id}-help`}>{props.help}</small>
      </Show>
      <Show when={props.error}>
        <small id={`${id}-error`} class="field-error">
          {props.error}
        </small>
      </Show>
    </div>
  )
}
