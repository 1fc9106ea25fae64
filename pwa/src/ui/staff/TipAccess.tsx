import { createSignal, createUniqueId, For, type JSX, Show } from "solid-js"
import { formatTime } from "../../lib/format.js"
import { messageFor } from "../../lib/messages.js"
import { type Colleague, grantAccess, revokeAccess } from "../../lib/staffDirectory.js"
import type { OpenTip } from "../../lib/staffTips.js"
import { ErrorNotice } from "../Notice.jsx"

/**
 * Who can read this tip, and granting or revoking colleagues. Candidates come from the context's
 * signed key directory (verified in the tip worker), since a grant wraps the tip key to their key.
 */
export function TipAccess(props: {
  session: string
  userId: string
  tip: OpenTip
  nameOf: (author: string) => string
  /** The context's verified recipients, or the error that stopped verifying them. */
  colleagues: readonly Colleague[] | { readonly error: unknown } | undefined
  onChanged: () => void
}): JSX.Element {
  const id = createUniqueId()
  const colleagues = () => props.colleagues
  const [choice, setChoice] = createSignal("")
  const [error, setError] = createSignal<unknown>()
  const [note, setNote] = createSignal<string>()
  const list = (): readonly Colleague[] => {
    const c = colleagues()
    return Array.isArray(c) ? c : []
  }
  const holderIds = () => new Set(props.tip.holders.map((h) => h.userId))
  const candidates = () => list().filter((c) => !holderIds().has(c.id))

  const grant = async (e: Event) => {
    e.preventDefault()
    const who = candidates().find((c) => c.id === choice()) ?? candidates()[0]
    if (!who) return
    setError(undefined)
    try {
      await grantAccess(props.session, props.tip, who)
      setNote(messageFor("staff.granted")?.replace("{name}", who.name))
      setChoice("")
      props.onChanged()
    } catch (e) {
      setError(e)
    }
  }
  const revoke = async (userId: string) => {
    setError(undefined)
    try {
      await revokeAccess(props.session, props.tip.tip.id, userId)
      setNote(messageFor("staff.revoked")?.replace("{name}", props.nameOf(userId)))
      props.onChanged()
    } catch (e) {
      setError(e)
    }
  }
  return (
    <section class="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Access</h2>
      <ul class="plain" data-testid="holders">
        <For each={props.tip.holders}>
          {(h) => (
            <li class="file-item">
              <span>
                {props.nameOf(h.userId)} · since {formatTime(h.grantedAt)}
              </span>
              <Show when={h.userId !== props.userId}>
                <button type="button" class="secondary" onClick={() => revoke(h.userId)}>
                  Revoke {props.nameOf(h.userId)}
                </button>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={colleagues() && !Array.isArray(colleagues())}>
        <ErrorNotice error={(colleagues() as { error: unknown }).error} />
      </Show>
      <Show
        when={candidates().length > 0}
        fallback={
          <Show when={Array.isArray(colleagues())}>
            {<p>{messageFor("staff.noColleagues")}</p>}
          </Show>
        }
      >
        <form onSubmit={grant}>
          <div class="field">
            <label for={`${id}-who`}>Give access to</label>
            <select
              id={`${id}-who`}
              value={choice()}
              onChange={(e) => setChoice(e.currentTarget.value)}
            >
              <For each={candidates()}>{(c) => <option value={c.id}>{c.name}</option>}</For>
            </select>
          </div>
          <button type="submit" class="secondary">
            Grant access
          </button>
        </form>
      </Show>
      <Show when={note()}>
        <p class="notice ok" aria-live="polite">
          {note()}
        </p>
      </Show>
      <ErrorNotice error={error()} />
    </section>
  )
}
