import { readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import * as protocol from "@sotto/protocol"
import { describe, expect, it } from "vitest"
import { protocolTableSource, slimProtocol } from "./protocolTable.js"

// The browser build's stand-in for @sotto/protocol must say exactly what the specs say
// about every route, and the PWA must read nothing from it that the table leaves out.

const table = slimProtocol(protocol as unknown as Record<string, unknown>)
const real = (name: string) =>
  (protocol as unknown as Record<string, Record<string, unknown>>)[name] ?? {}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name)
    if (statSync(full).isDirectory()) return sources(full)
    return /\.tsx?$/.test(name) && !name.endsWith(".test.ts") ? [full] : []
  })
}

describe("the PWA's protocol table", () => {
  it("has every spec of ALL_SPECS once, with its method, path and binary markers", () => {
    const slim = Object.values(table.namespaces).flatMap((ns) =>
      Object.values(ns).filter((v) => typeof v === "object"),
    )
    expect(slim).toHaveLength(protocol.ALL_SPECS.length)
    for (const spec of protocol.ALL_SPECS) {
      const found = slim.filter((s) => s.id === spec.id)
      expect(found).toEqual([
        {
          id: spec.id,
          method: spec.method,
          path: spec.path,
          ...(spec.body === undefined
            ? {}
            : { body: spec.body === protocol.BINARY ? "binary" : "json" }),
          response: spec.response === protocol.BINARY ? "binary" : "json",
          ...(spec.bodyLimit === undefined ? {} : { bodyLimit: spec.bodyLimit }),
          ...(spec.status === undefined ? {} : { status: spec.status }),
        },
      ])
    }
    expect(table.namespaces.wb?.submitTip).toMatchObject({ method: "POST", response: "json" })
    expect(table.namespaces.files?.putFileChunk).toMatchObject({ body: "binary" })
    expect(table.constants.PROTOCOL_VERSION).toBe(protocol.PROTOCOL_VERSION)
  })

  it("keeps the constants and leaves out the schemas", () => {
    expect(table.namespaces.files?.CHUNK_HASH_HEADER).toBe(protocol.files.CHUNK_HASH_HEADER)
    expect(table.namespaces.contexts?.MAX_RECIPIENTS).toBe(protocol.contexts.MAX_RECIPIENTS)
    // common holds schemas and one constant (the sealed-field format name): only the constant stays.
    expect(table.namespaces.common).toEqual({ AGE_FILE_FORMAT: "age-armored-v1" })
    const source = protocolTableSource(protocol as unknown as Record<string, unknown>)
    expect(source).not.toMatch(/typebox/i)
    expect(source).toContain("export const wb = ")
  })

  it("covers every member of the protocol that the PWA's code reads", () => {
    const missing: string[] = []
    for (const file of sources(new URL("./src", import.meta.url).pathname)) {
      const text = readFileSync(file, "utf8")
      const imports = [...text.matchAll(/import\s*\{([^}]*)\}\s*from\s*"@sotto\/relay\/protocol"/g)]
      const names = imports
        .flatMap((m) => (m[1] ?? "").split(","))
        .map((n) => n.trim())
        .filter((n) => n && !n.startsWith("type ") && n in table.namespaces)
      // Only members the real namespace has (a local `files` array is no concern).
      for (const name of names)
        for (const use of text.matchAll(new RegExp(`\\b${name}\\.(\\w+)`, "g")))
          if (use[1] && use[1] in real(name) && !(use[1] in (table.namespaces[name] ?? {})))
            missing.push(`${file}: ${name}.${use[1]}`)
    }
    expect(missing).toEqual([])
  })
})
