import { describe, expect, it } from "vitest"
import {
  addQuestion,
  moveQuestion,
  parseOptions,
  questionOfField,
  removeQuestion,
  updateQuestion,
} from "./adminQuestions.js"

describe("questionnaire builder model", () => {
  it("adds fields with unique ids and options only for choice types", () => {
    let list = addQuestion([], "text")
    list = addQuestion(list, "select")
    list = addQuestion(list, "text")
    expect(list.map((q) => q.id)).toEqual(["text-1", "select-1", "text-2"])
    expect(list[1]?.options).toEqual(["Option 1", "Option 2"])
    expect(list[0]).not.toHaveProperty("options")
    const changed = updateQuestion(list, 1, { type: "date" })
    expect(changed[1]).not.toHaveProperty("options")
    expect(updateQuestion(list, 0, { type: "multiselect" })[0]?.options).toEqual(["Option 1"])
  })

  it("moves up and down, not past the ends, and removes", () => {
    const list = addQuestion(addQuestion(addQuestion([], "text"), "date"), "checkbox")
    const ids = (l: typeof list) => l.map((q) => q.id)
    expect(ids(moveQuestion(list, 2, -1))).toEqual(["text-1", "checkbox-1", "date-1"])
    expect(ids(moveQuestion(list, 0, 1))).toEqual(["date-1", "text-1", "checkbox-1"])
    expect(ids(moveQuestion(list, 0, -1))).toEqual(ids(list))
    expect(ids(moveQuestion(list, 2, 1))).toEqual(ids(list))
    expect(ids(removeQuestion(list, 1))).toEqual(["text-1", "checkbox-1"])
  })

  it("reads options and relay field names", () => {
    expect(parseOptions(" a \n\nb\na\n")).toEqual(["a", "b"])
    expect(questionOfField("body.questionnaire.3.options")).toEqual({ index: 3, key: "options" })
    expect(questionOfField("body.questionnaire.0")).toEqual({ index: 0, key: "label" })
    expect(questionOfField("body.name")).toBeUndefined()
  })
})
