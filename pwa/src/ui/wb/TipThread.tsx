import { createSignal, For, type JSX, Show } from "solid-js"
import { formatDateTime, formatSize, t } from "../../i18n/index.js"
import { answerText, type Question } from "../../lib/questionnaire.js"
import type { OpenComment, OpenFile } from "../../lib/wbTip.js"
import { authorVerified, EntryProblems } from "../EntryProblems.jsx"

/**
 * The opened answers, labelled with the questions exactly as the whistleblower saw them (the
 * sealed snapshot, never the relay's current questionnaire); answers without one under their id.
 */
export function AnswerList(props: {
  answers: Readonly<Record<string, unknown>>
  questions: readonly Pick<Question, "id" | "label">[]
}): JSX.Element {
  const rows = () => {
    const known = props.questions.map((q) => ({ id: q.id, label: q.label }))
    const extra = Object.keys(props.answers)
      .filter((id) => !known.some((k) => k.id === id))
      .map((id) => ({ id, label: id === "_attachments" ? t("form.attachments") : id }))
    return [...known, ...extra]
  }
  return (
    <dl class="answers">
      <For each={rows()}>
        {(row) => (
          <>
            <dt>
              <bdi>{row.label}</bdi>
            </dt>
            <dd data-answer={row.id} dir="auto">
              {answerText(props.answers[row.id])}
            </dd>
          </>
        )}
      </For>
    </dl>
  )
}

/**
 * The conversation in written order: each comment with who signed it ("You" or "Recipient"),
 * when, and what the transcript check found wrong with it; a forged one shows no text.
 */
export function CommentList(props: { comments: readonly OpenComment[] }): JSX.Element {
  return (
    <Show when={props.comments.length > 0} fallback={<p>{t("thread.none")}</p>}>
      <ol class="plain comments">
        <For each={props.comments}>
          {(c) => (
            <li
              class="card comment"
              data-author={c.signedBy === "wb" ? "wb" : "recipient"}
              data-authentic={String(c.authentic)}
            >
              <p>
                <strong>
                  {!authorVerified(c)
                    ? t("thread.unverified")
                    : c.signedBy === "wb"
                      ? t("thread.you")
                      : t("thread.recipient")}
                </strong>{" "}
                <small>{formatDateTime(c.createdAt)}</small>
              </p>
              <EntryProblems check={c} />
              <Show when={c.problems.every((p) => p.code !== "FORGED")}>
                <p class="comment-text" dir="auto">
                  {c.text}
                </p>
              </Show>
            </li>
          )}
        </For>
      </ol>
    </Show>
  )
}

/** The tip's files with their name, size, date and SHA-256. */
export function FileList(props: { files: readonly OpenFile[] }): JSX.Element {
  return (
    <Show when={props.files.length > 0} fallback={<p>{t("thread.noFiles")}</p>}>
      <ul class="plain">
        <For each={props.files}>
          {(f) => (
            <li class="file-item" data-file={f.meta.name}>
              <div>
                <strong>{f.meta.name}</strong> · {formatSize(f.meta.size ?? f.size)} ·{" "}
                <small>{formatDateTime(f.createdAt)}</small>
                <Show when={!f.complete}>
                  {" "}
                  <span class="badge">{t("thread.incomplete")}</span>
                </Show>
              </div>
              <EntryProblems check={f} />
              <Show when={f.meta.sha256}>
                <div>
                  <small>
                    SHA-256: <span class="mono sha256">{f.meta.sha256}</span>
                  </small>
                </div>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </Show>
  )
}

/** A labelled box to write a message; `onSend` resolves true once sent (then the box empties). */
export function CommentBox(props: { onSend: (text: string) => Promise<boolean> }): JSX.Element {
  const [text, setText] = createSignal("")
  const [busy, setBusy] = createSignal(false)
  const send = async (e: SubmitEvent) => {
    e.preventDefault()
    if (text().trim() === "" || busy()) return
    setBusy(true)
    try {
      if (await props.onSend(text().trim())) setText("")
    } finally {
      setBusy(false)
    }
  }
  return (
    <form noValidate onSubmit={send}>
      <div class="field">
        <label for="comment-input">{t("thread.write")}</label>
        <textarea
          id="comment-input"
          dir="auto"
          value={text()}
          disabled={busy()}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </div>
      <div class="actions">
        <button type="submit" disabled={busy() || text().trim() === ""}>
          {t("thread.send")}
        </button>
      </div>
    </form>
  )
}
