import type { Question } from "./questionnaire.js"

// The questionnaire builder's model: pure functions over the list of fields, so the builder UI
// only renders and the rules (ids, options per type, order) are testable without a DOM.

/** Every field type the relay accepts, in the order the builder offers them. */
export const QUESTION_TYPES: readonly Question["type"][] = [
  "text",
  "textarea",
  "select",
  "multiselect",
  "checkbox",
  "date",
  "file",
]

/** Human names of the field types. */
export const TYPE_NAMES: Readonly<Record<Question["type"], string>> = {
  text: "Short text",
  textarea: "Long text",
  select: "Choice (one)",
  multiselect: "Choices (several)",
  checkbox: "Checkbox",
  date: "Date",
  file: "Files",
}

/** Whether a type carries a list of options. */
export function hasOptions(type: Question["type"]): boolean {
  return type === "select" || type === "multiselect"
}

/** A field id not yet used in `list` (`<type>-<n>`), matching the relay's id pattern. */
export function freshId(list: readonly Question[], type: Question["type"]): string {
  const taken = new Set(list.map((q) => q.id))
  for (let n = 1; ; n++) {
    const id = `${type}-${n}`
    if (!taken.has(id)) return id
  }
}

/** `list` with a new field of `type` at the end (a default label; options for choice types). */
export function addQuestion(list: readonly Question[], type: Question["type"]): Question[] {
  const question: Question = {
    id: freshId(list, type),
    type,
    label: `New ${TYPE_NAMES[type].toLowerCase()} question`,
    required: false,
    ...(hasOptions(type) ? { options: ["Option 1", "Option 2"] } : {}),
  }
  return [...list, question]
}

/** `list` with field `index` replaced by `patch` applied; options dropped for types without. */
export function updateQuestion(
  list: readonly Question[],
  index: number,
  patch: Partial<Omit<Question, "id">>,
): Question[] {
  return list.map((q, i) => {
    if (i !== index) return q
    const next = { ...q, ...patch }
    if (!hasOptions(next.type)) {
      const { options: _dropped, ...rest } = next
      return rest
    }
    return next.options ? next : { ...next, options: ["Option 1"] }
  })
}

/** `list` with field `index` moved by `delta` (−1 up, +1 down); unchanged at the ends. */
export function moveQuestion(list: readonly Question[], index: number, delta: -1 | 1): Question[] {
  const to = index + delta
  if (index < 0 || index >= list.length || to < 0 || to >= list.length) return [...list]
  const next = [...list]
  const [moved] = next.splice(index, 1)
  if (moved) next.splice(to, 0, moved)
  return next
}

/** `list` without field `index`. */
export function removeQuestion(list: readonly Question[], index: number): Question[] {
  return list.filter((_, i) => i !== index)
}

/** Options typed one per line → trimmed, non-empty, without repeats. */
export function parseOptions(text: string): string[] {
  const seen = new Set<string>()
  for (const line of text.split("\n")) {
    const option = line.trim()
    if (option) seen.add(option)
  }
  return [...seen]
}

/**
 * Which builder input a relay validation field names: `body.questionnaire.2.label` →
 * `{ index: 2, key: "label" }`; undefined for fields outside the questionnaire.
 */
export function questionOfField(
  field: string | undefined,
): { index: number; key: string } | undefined {
  const m = /^body\.questionnaire\.(\d+)(?:\.(\w+))?/.exec(field ?? "")
  if (!m) return undefined
  return { index: Number(m[1]), key: m[2] ?? "label" }
}
