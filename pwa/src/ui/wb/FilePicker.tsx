import { For, type JSX, Show } from "solid-js"
import { formatSize, t } from "../../i18n/index.js"

/** A file the whistleblower attached, with its fingerprint once the worker computed it. */
export interface Attached {
  readonly key: number
  readonly file: File
  readonly harmful: boolean
  /** Lowercase hex SHA-256, when done. */
  readonly sha256?: string
  /** Fraction of the file hashed so far. */
  readonly hashed: number
  /** Why the file could not be read, when it could not. */
  readonly error?: string
}

/**
 * A labelled file input (several files) and the list of files attached to it: name, size,
 * SHA-256 (or hashing progress), a warning for harmful types, and a remove button each.
 */
export function FilePicker(props: {
  id: string
  label: string
  help?: string | undefined
  required?: boolean
  error?: string | undefined
  disabled?: boolean
  files: readonly Attached[]
  onAdd: (files: File[]) => void
  onRemove: (key: number) => void
}): JSX.Element {
  return (
    <div class="field">
      <label for={props.id}>
        {props.label}
        <Show when={props.required}>
          <span class="req" aria-hidden="true">
            {" "}
            *
          </span>
        </Show>
        <Show when={!props.required}>
          <span class="optional"> {t("form.optional")}</span>
        </Show>
      </label>
      <input
        id={props.id}
        type="file"
        multiple
        disabled={props.disabled}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={`${props.id}-help ${props.id}-error`}
        onChange={(e) => {
          const input = e.currentTarget
          props.onAdd(Array.from(input.files ?? []))
          input.value = ""
        }}
      />
      <Show when={props.help}>
        <small id={`${props.id}-help`}>{props.help}</small>
      </Show>
      <Show when={props.error}>
        <small id={`${props.id}-error`} class="field-error">
          {props.error}
        </small>
      </Show>
      <Show when={props.files.length > 0}>
        <ul class="plain files" aria-label={t("file.list", { label: props.label })}>
          <For each={props.files}>
            {(a) => (
              <li class="file-item" data-file={a.file.name}>
                <div>
                  <strong>{a.file.name}</strong> · {formatSize(a.file.size)}
                </div>
                <Show
                  when={a.sha256}
                  fallback={
                    <Show
                      when={a.error}
                      fallback={
                        <small aria-live="polite">
                          {t("file.hashing", { percent: Math.floor(a.hashed * 100) })}
                        </small>
                      }
                    >
                      <small class="field-error" role="alert">
                        {a.error}
                      </small>
                    </Show>
                  }
                >
                  <small>
                    SHA-256: <span class="mono sha256">{a.sha256}</span>
                  </small>
                </Show>
                <Show when={a.harmful}>
                  <p class="notice warn harmful">{t("wb.harmful")}</p>
                </Show>
                <button
                  type="button"
                  class="secondary"
                  disabled={props.disabled}
                  onClick={() => props.onRemove(a.key)}
                >
                  {t("file.remove", { name: a.file.name })}
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  )
}
