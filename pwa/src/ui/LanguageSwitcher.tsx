import { For, type JSX, Show } from "solid-js"
import { AUTONYMS, type Language, language, offered, setLanguage, t } from "../i18n/index.js"

/**
 * The language menu in the header: each language named in itself, switched at once without a
 * reload (what was typed stays); hidden when the node offers only one.
 */
export function LanguageSwitcher(): JSX.Element {
  return (
    <Show when={offered().length > 1}>
      <div class="lang-switch">
        <label for="language-select">{t("lang.label")}</label>
        <select
          id="language-select"
          value={language()}
          onChange={(e) => void setLanguage(e.currentTarget.value as Language)}
        >
          <For each={offered()}>
            {(code) => (
              <option value={code} lang={code} selected={code === language()}>
                {AUTONYMS[code]}
              </option>
            )}
          </For>
        </select>
      </div>
    </Show>
  )
}
