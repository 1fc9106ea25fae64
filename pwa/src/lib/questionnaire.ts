import type { contexts, ResponseOf } from "@sotto/protocol"
import { messageFor } from "./messages.js"

// A context's questionnaire as the whistleblower's form sees it: the value each kind of field
// holds, what "answered" means for it, and the answers object that gets sealed. Files are held
// apart (they are uploaded after the tip exists); a file field's answer names its files.

/** A context as the relay serves it. */
export type ContextView = ResponseOf<typeof contexts.getContext>
/** One questionnaire field. */
export type Question = ContextView["questionnaire"][number]

/** What a field holds while the form is filled in (files are kept by the form, by field id). */
export type FieldValue = string | boolean | string[]

/** The values of a form, by field id. */
export type FormValues = Record<string, FieldValue>

/** Where attachments go when the questionnaire has no file field but the context takes files. */
export const ATTACHMENTS_FIELD = "_attachments"

/** The empty value of each field type: "" for text, select and date, [] for multiselect. */
export function emptyValue(question: Question): FieldValue {
  if (question.type === "checkbox") return false
  if (question.type === "multiselect") return []
  return ""
}

/** Fresh values for every field of a questionnaire. */
export function initialValues(questions: readonly Question[]): FormValues {
  const out: FormValues = {}
  for (const q of questions) if (q.type !== "file") out[q.id] = emptyValue(q)
  return out
}

/**
 * The message for each field that is not correctly answered: required fields left empty (a
 * required checkbox must be ticked, a required file field needs a file), select values outside
 * the options.
 * @returns field id → sentence; empty when the form can be sent.
 */
export function validate(
  questions: readonly Question[],
  values: FormValues,
  fileCounts: Readonly<Record<string, number>>,
): Record<string, string> {
  const errors: Record<string, string> = {}
  const required = messageFor("wb.required") ?? "Required."
  for (const q of questions) {
    const value = values[q.id]
    if (q.type === "file") {
      if (q.required && (fileCounts[q.id] ?? 0) === 0) errors[q.id] = required
      continue
    }
    if (q.required && isEmpty(value)) {
      errors[q.id] = required
      continue
    }
    const options = q.options ?? []
    if (q.type === "select" && value !== "" && !options.includes(String(value))) {
      errors[q.id] = required
    }
    if (
      q.type === "multiselect" &&
      Array.isArray(value) &&
      value.some((v) => !options.includes(v))
    ) {
      errors[q.id] = required
    }
  }
  return errors
}

function isEmpty(value: FieldValue | undefined): boolean {
  if (value === undefined || value === false) return true
  if (Array.isArray(value)) return value.length === 0
  return typeof value === "string" && value.trim() === ""
}

/**
 * The answers object that is sealed to the tip: every non-file field's value by id (text
 * trimmed of trailing whitespace), and for file fields the names of the files attached there.
 */
export function buildAnswers(
  questions: readonly Question[],
  values: FormValues,
  fileNames: Readonly<Record<string, readonly string[]>>,
): Record<string, string | boolean | string[]> {
  const answers: Record<string, string | boolean | string[]> = {}
  for (const q of questions) {
    if (q.type === "file") {
      answers[q.id] = [...(fileNames[q.id] ?? [])]
      continue
    }
    const value = values[q.id] ?? emptyValue(q)
    // Copies, not the form's reactive proxies: the answers cross postMessage to a worker.
    if (Array.isArray(value)) answers[q.id] = [...value]
    else answers[q.id] = typeof value === "string" ? value.trimEnd() : value
  }
  const extra = fileNames[ATTACHMENTS_FIELD]
  if (extra && extra.length > 0) answers[ATTACHMENTS_FIELD] = [...extra]
  return answers
}

/** How an answer reads to a person: lists joined, a ticked box as "Yes", nothing as "—". */
export function answerText(value: unknown): string {
  if (value === true) return "Yes"
  if (value === false) return "No"
  if (Array.isArray(value)) return value.length > 0 ? value.map(String).join(", ") : "—"
  if (value === undefined || value === null || value === "") return "—"
  return String(value)
}
