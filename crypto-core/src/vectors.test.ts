// Holds crypto-core to the committed vectors in crypto-core/vectors/*.json (written by
// scripts/generateVectors.ts). Each file is recomputed from its own inputs with the public API and
// must come out identical, field for field; decrypt-only ciphertexts must open to the stored values.
// The checks particular to each file are in vectorsDetails.test.ts.
import { readdirSync } from "node:fs"
import { isDeepStrictEqual } from "node:util"
import { describe, expect, it } from "vitest"
import { flipChar } from "./_testing.js"
import { DIR, load, SOURCE } from "./_vectorFiles.js"
import { FILES, recompute } from "./_vectorRecompute.js"

/** Every leaf (string, number, boolean) of a JSON value with its path. */
function leaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]))
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]))
  }
  return [path]
}

/** A deep copy of `value` with one bit of the leaf at `path` flipped (null becomes false). */
function flipLeaf(value: unknown, path: (string | number)[]): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>
  let parent = copy
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>
  const last = path[path.length - 1] ?? ""
  const leaf = parent[last]
  if (typeof leaf === "string") {
    parent[last] = leaf.length === 0 ? "\u0001" : flipChar(leaf, Math.floor(leaf.length / 2), 0)
  } else if (typeof leaf === "number") {
    parent[last] = leaf % 2 === 0 ? leaf + 1 : leaf - 1
  } else if (typeof leaf === "boolean") {
    parent[last] = !leaf
  } else if (leaf === null) {
    parent[last] = false
  } else {
    throw new Error(`unexpected leaf at ${path.join(".")}`)
  }
  return copy
}

describe("crypto-core/vectors", () => {
  it("holds exactly the expected files, each saying how it was generated", () => {
    const names = readdirSync(DIR)
      .filter((n) => n.endsWith(".json"))
      .sort()
    expect(names).toEqual(Object.keys(FILES).sort())
    for (const name of names) {
      const source = (load(name) as { source?: unknown }).source
      expect(typeof source === "string" && source.startsWith(SOURCE), name).toBe(true)
    }
  })

  describe.each(Object.keys(FILES))("%s", (name) => {
    it("recomputes identically from its inputs", async () => {
      expect(await recompute(name)).toStrictEqual(load(name))
    })

    it("notices a one-bit change of any stored value", async () => {
      const file = load(name)
      const actual = await recompute(name)
      const paths = leaves(file)
      expect(paths.length).toBeGreaterThan(5)
      const unnoticed = paths.filter((p) => isDeepStrictEqual(actual, flipLeaf(file, p)))
      expect(unnoticed.map((p) => p.join("."))).toEqual([])
    })
  })
})
