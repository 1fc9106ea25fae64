import { For, type JSX, Show } from "solid-js"
import { lookup } from "../i18n/index.js"
import type { EntryCheck } from "../lib/tipParts.js"

/** Whether the entry's author can be shown as who it says (signature and signer verified). */
export function authorVerified(check: EntryCheck): boolean {
  return check.problems.every((p) => p.code !== "FORGED" && p.code !== "UNKNOWN_SIGNER")
}

/**
 * What the transcript check found wrong with one comment or file, in words, next to it: a
 * forgery, an unknown signer, a gap, a reorder, a duplicate, a relay author that lies.
 */
export function EntryProblems(props: { check: EntryCheck }): JSX.Element {
  return (
    <Show when={props.check.problems.length > 0}>
      <ul class="plain entry-problems" data-testid="entry-problems">
        <For each={props.check.problems}>
          {(p) => (
            <li class="notice warn" data-problem={p.code}>
              {lookup(`entry.${p.code}`) ?? p.message}
            </li>
          )}
        </For>
      </ul>
    </Show>
  )
}
