import type { Json, QuestionSnapshot } from "@sotto/crypto-core"
import { For, type JSX } from "solid-js"

/** An answer as words: lists joined, yes/no for checkboxes. */
function answerText(value: Json): string {
  if (typeof value === "string") return value
  if (typeof value === "boolean") return value ? "Yes" : "No"
  if (Array.isArray(value)) return value.map((v) => answerText(v as Json)).join(", ")
  if (value === null) return ""
  return JSON.stringify(value)
}

/**
 * The decrypted answers under the questions exactly as the whistleblower saw them (the sealed
 * snapshot, in its order: a relabelled or deleted question changes nothing here); answers
 * without a question follow under their ids.
 */
export function TipAnswers(props: {
  answers: Record<string, Json>
  questions: readonly QuestionSnapshot[]
}): JSX.Element {
  const rows = () => {
    const known = new Set(props.questions.map((q) => q.id))
    const listed = props.questions
      .filter((q) => q.type !== "file" && props.answers[q.id] !== undefined)
      .map((q) => ({ id: q.id, label: q.label, text: answerText(props.answers[q.id] ?? null) }))
    const extra = Object.entries(props.answers)
      .filter(([id]) => !known.has(id))
      .map(([id, value]) => ({ id, label: id, text: answerText(value) }))
    return [...listed, ...extra]
  }
  return (
    <dl class="answers" data-testid="answers">
      <For each={rows()} fallback={<p>No answers.</p>}>
        {(row) => (
          <>
            <dt>{row.label}</dt>
            <dd>{row.text || "—"}</dd>
          </>
        )}
      </For>
    </dl>
  )
}
