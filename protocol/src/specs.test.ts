import type { TSchema } from "@sinclair/typebox"
import { describe, expect, it } from "vitest"
import { ALL_SPECS } from "./index.js"
import { BINARY } from "./route.js"

// Walks a JSON schema and returns the paths of object schemas that would accept unknown fields.
function openObjects(schema: unknown, path = "$"): string[] {
  if (typeof schema !== "object" || schema === null) return []
  const s = schema as Record<string, unknown>
  const found: string[] = []
  if (s.type === "object" && s.properties && s.additionalProperties !== false) found.push(path)
  for (const [key, value] of Object.entries(s)) {
    if (key === "properties" && typeof value === "object" && value) {
      for (const [name, sub] of Object.entries(value))
        found.push(...openObjects(sub, `${path}.${name}`))
    } else if (key === "items" || key === "anyOf" || key === "allOf" || key === "oneOf") {
      const list = Array.isArray(value) ? value : [value]
      for (const [i, sub] of list.entries()) found.push(...openObjects(sub, `${path}[${i}]`))
    }
  }
  return found
}

describe("the wire protocol", () => {
  it("gives every route a unique id and a path under /api/v1/", () => {
    const ids = ALL_SPECS.map((r) => r.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const r of ALL_SPECS) expect(r.path, r.id).toMatch(/^\/api\/v1\//)
  })

  it("gives every route with a body an explicit size limit", () => {
    const missing = ALL_SPECS.filter((r) => r.body !== undefined && r.bodyLimit === undefined).map(
      (r) => r.id,
    )
    expect(missing).toEqual([])
  })

  it("rejects unknown fields in every request body, query and path schema", () => {
    const open = ALL_SPECS.flatMap((r) =>
      [r.params, r.query, r.body === BINARY ? undefined : r.body].flatMap((schema) =>
        schema
          ? openObjects(JSON.parse(JSON.stringify(schema as TSchema))).map((p) => `${r.id} ${p}`)
          : [],
      ),
    )
    expect(open).toEqual([])
  })

  it("declares path parameters exactly as the path names them", () => {
    for (const r of ALL_SPECS) {
      const inPath = [...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]).sort()
      const declared = Object.keys(
        (r.params as { properties?: object } | undefined)?.properties ?? {},
      ).sort()
      expect(declared, r.id).toEqual(inPath)
    }
  })
})
