import { describe, expect, test } from "vitest"
import {
  ATTACHMENTS_FIELD,
  answerText,
  buildAnswers,
  initialValues,
  type Question,
  validate,
} from "./questionnaire.js"
import { isHarmful, limitProblem } from "./wbFiles.js"

// The whistleblower form's rules, without a browser: what "answered" means per field type, the
// answers object that gets sealed, and the file checks shown before anything is sent.

const QUESTIONS: Question[] = [
  { id: "what", type: "textarea", label: "What happened?", required: true },
  { id: "where", type: "select", label: "Where?", required: true, options: ["HQ", "Branch"] },
  { id: "when", type: "date", label: "When?", required: false },
  { id: "who", type: "multiselect", label: "Who?", required: false, options: ["A", "B"] },
  { id: "saw", type: "checkbox", label: "I saw it", required: true },
  { id: "docs", type: "file", label: "Documents", required: true },
]

describe("questionnaire", () => {
  test("an empty form names every required field, files included", () => {
    const errors = validate(QUESTIONS, initialValues(QUESTIONS), {})
    expect(Object.keys(errors).sort()).toEqual(["docs", "saw", "what", "where"])
    expect(errors.what).toBe("Please answer this question.")
  })

  test("blank text, a value outside the options and an unknown multiselect option are refused", () => {
    const values = {
      ...initialValues(QUESTIONS),
      what: "   ",
      where: "Moon",
      who: ["C"],
      saw: true,
    }
    expect(Object.keys(validate(QUESTIONS, values, { docs: 1 })).sort()).toEqual([
      "what",
      "where",
      "who",
    ])
  })

  test("a complete form validates and builds the sealed answers, files by name", () => {
    const values = {
      what: "the ledger  \n",
      where: "HQ",
      when: "2026-02-14",
      who: ["B"],
      saw: true,
    }
    expect(validate(QUESTIONS, values, { docs: 1 })).toEqual({})
    const answers = buildAnswers(QUESTIONS, values, {
      docs: ["a.pdf"],
      [ATTACHMENTS_FIELD]: ["b.png"],
    })
    expect(answers).toEqual({
      what: "the ledger",
      where: "HQ",
      when: "2026-02-14",
      who: ["B"],
      saw: true,
      docs: ["a.pdf"],
      [ATTACHMENTS_FIELD]: ["b.png"],
    })
    expect(answers.who).not.toBe(values.who)
  })

  test("answers read as words", () => {
    expect([true, false, ["a", "b"], [], "", "x"].map(answerText)).toEqual([
      "Yes",
      "No",
      "a, b",
      "—",
      "—",
      "x",
    ])
  })
})

describe("attachment checks", () => {
  test("types that can run code are flagged, whatever the case; documents are not", () => {
    expect(["setup.EXE", "a.js", "run.ps1", "x.docm", "q.xlsm", "l.lnk"].every(isHarmful)).toBe(
      true,
    )
    expect(["report.pdf", "photo.jpg", "notes.txt", "exe", "archive.tar.gz"].some(isHarmful)).toBe(
      false,
    )
  })

  test("too many files and a file over the size limit are named", () => {
    const file = (name: string, size: number) => new File([new Uint8Array(size)], name)
    const limits = { maxFiles: 2, maxFileBytes: 1024 }
    expect(limitProblem([file("a", 10), file("b", 10)], limits)).toBeUndefined()
    expect(limitProblem([file("a", 1), file("b", 1), file("c", 1)], limits)).toBe(
      "This channel accepts at most 2 files in all. Remove some.",
    )
    expect(limitProblem([file("big.bin", 2048)], limits)).toBe(
      "big.bin is larger than the 1.0 KiB this channel accepts per file.",
    )
  })
})
