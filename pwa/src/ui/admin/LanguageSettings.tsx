import { For, type JSX } from "solid-js"
import { AUTONYMS, LANGUAGES, type Language } from "../../i18n/index.js"

/** The node's language choice as the settings form edits it. */
export interface LanguageChoice {
  readonly enabled: readonly Language[]
  readonly default: Language
}

/**
 * Which languages whistleblowers may choose from (checkboxes) and the one shown when their
 * browser asks for none of them. Unticking the default moves it to the first still enabled;
 * the last enabled language cannot be unticked. `error` names a field the relay refused.
 */
export function LanguageSettings(props: {
  value: LanguageChoice
  onChange: (value: LanguageChoice) => void
  error?: string | undefined
}): JSX.Element {
  const toggle = (code: Language, on: boolean) => {
    const enabled = LANGUAGES.filter((l) => (l === code ? on : props.value.enabled.includes(l)))
    if (enabled.length === 0) return
    const fallback = enabled.includes(props.value.default) ? props.value.default : enabled[0]
    props.onChange({ enabled, default: fallback ?? "en" })
  }
  return (
    <fieldset class="field" aria-describedby="languages-help languages-error">
      <legend>Languages for whistleblowers</legend>
      <small id="languages-help">
        The report pages offer these languages, chosen from the visitor's browser and changeable in
        the header. The translations are machine-authored and await review by native speakers.
      </small>
      <For each={LANGUAGES}>
        {(code) => (
          <label class="check">
            <input
              type="checkbox"
              name={`language-${code}`}
              checked={props.value.enabled.includes(code)}
              disabled={props.value.enabled.length === 1 && props.value.enabled.includes(code)}
              onChange={(e) => toggle(code, e.currentTarget.checked)}
            />{" "}
            <span lang={code}>{AUTONYMS[code]}</span> ({code})
          </label>
        )}
      </For>
      <div class="field">
        <label for="language-default">Default language</label>
        <select
          id="language-default"
          name="language-default"
          value={props.value.default}
          onChange={(e) =>
            props.onChange({ ...props.value, default: e.currentTarget.value as Language })
          }
        >
          <For each={props.value.enabled}>
            {(code) => (
              <option value={code} selected={code === props.value.default}>
                {AUTONYMS[code]}
              </option>
            )}
          </For>
        </select>
      </div>
      <small id="languages-error" class="field-error">
        {props.error}
      </small>
    </fieldset>
  )
}
