import { createSignal, createUniqueId, For, type JSX, Show } from "solid-js"
import { formatTime } from "../../lib/format.js"
import { messageFor } from "../../lib/messages.js"
import { addComment, type OpenTip } from "../../lib/staffTips.js"
import { ErrorNotice } from "../Notice.jsx"

/** The comment thread of a tip, and a form to add one (sealed to the tip in the tip worker). */
export function TipComments(props: {
  session: string
  tip: OpenTip
  nameOf: (author: string) => string
  onChanged: () => void
}): JSX.Element {
  const id = createUniqueId()
  const [text, setText] = createSignal("")
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<unknown>()
  const [note, setNote] = createSignal<string>()

  const submit = async (e: Event) => {
    e.preventDefault()
    if (!text().trim()) return
    setBusy(true)
    setError(undefined)
    try {
      await addComment(props.session, props.tip, text().trim())
      setText("")
      setNote(messageFor("staff.commentSent"))
      props.onChanged()
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }
  return (
    <section class="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Comments</h2>
      <ol class="plain" data-testid="comments">
        <For each={props.tip.comments} fallback={<li>No comments yet.</li>}>
          {(c) => (
            <li class="file-item">
              <small>
                {props.nameOf(c.author)} · {formatTime(c.createdAt)}
              </small>
              <span class="comment-text">{c.text}</span>
            </li>
          )}
        </For>
      </ol>
      <form onSubmit={submit}>
        <div class="field">
          <label for={id}>
            Your comment (the whistleblower and every reader of this tip see it)
          </label>
          <textarea id={id} value={text()} onInput={(e) => setText(e.currentTarget.value)} />
        </div>
        <ErrorNotice error={error()} />
        <Show when={note()}>
          <p class="notice ok" aria-live="polite">
            {note()}
          </p>
        </Show>
        <button type="submit" disabled={busy()}>
          Send comment
        </button>
      </form>
    </section>
  )
}
