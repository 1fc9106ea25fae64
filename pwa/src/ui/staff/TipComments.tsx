import { createSignal, createUniqueId, For, type JSX, Show } from "solid-js"
import { formatTime } from "../../lib/format.js"
import { messageFor } from "../../lib/messages.js"
import { addComment, type OpenTip } from "../../lib/staffTips.js"
import { authorVerified, EntryProblems } from "../EntryProblems.jsx"
import { ErrorNotice } from "../Notice.jsx"

/**
 * The comment thread of a tip in written order, each with who signed it and what the transcript
 * check found wrong (a forged one shows no text), and a form to add one (signed with the
 * account signing key and sealed to the tip in the tip worker).
 */
export function TipComments(props: {
  session: string
  tip: OpenTip
  /** The signed-in user: comments are signed with their account key. */
  author: { readonly userId: string; readonly identity: string }
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
      await addComment(props.session, props.tip, props.author, text().trim())
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
            <li class="file-item" data-authentic={String(c.authentic)}>
              <small>
                {authorVerified(c) ? props.nameOf(c.signedBy ?? "") : "Unverified sender"} ·{" "}
                {formatTime(c.createdAt)}
              </small>
              <EntryProblems check={c} />
              <Show when={c.problems.every((p) => p.code !== "FORGED")}>
                <span class="comment-text">{c.text}</span>
              </Show>
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
