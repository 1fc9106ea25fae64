import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  buildStamp,
  buildStaticTable,
  listServedFiles,
  normaliseStaticPath,
} from "./staticTable.js"

describe("the static table", () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "sotto-table-"))
    await mkdir(join(dir, "assets"))
    await writeFile(join(dir, "index.html"), "<!doctype html>")
    await writeFile(join(dir, "index.html.gz"), "gz")
    await writeFile(join(dir, ".hidden"), "x")
    await writeFile(join(dir, "assets", "a-1.js"), "a".repeat(100))
    await writeFile(join(dir, "assets", "b-2.js"), "b".repeat(100))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it("lists served files without precompressed siblings or dot-files, sorted", () => {
    expect(listServedFiles(dir)).toEqual(["assets/a-1.js", "assets/b-2.js", "index.html"])
    expect(listServedFiles(join(dir, "absent"))).toEqual([])
  })

  it("keeps siblings with their file, marks only assets/ immutable, and respects its budget", () => {
    const table = buildStaticTable(dir, 150)
    expect([...table.files.keys()]).toEqual(["assets/a-1.js", "index.html"])
    expect(table.skipped).toEqual(["assets/b-2.js"])
    expect(table.files.get("index.html")?.gzip).toBeDefined()
    expect(table.files.get("index.html")?.immutable).toBe(false)
    expect(table.files.get("assets/a-1.js")?.immutable).toBe(true)
  })

  it("changes its stamp when a file is added to assets/", async () => {
    const before = buildStamp(dir)
    await new Promise((r) => setTimeout(r, 20))
    await writeFile(join(dir, "assets", "c-3.js"), "c")
    expect(buildStamp(dir)).not.toBe(before)
  })

  it("normalises request paths and refuses those that cannot name a file", () => {
    expect(normaliseStaticPath("/")).toBe("")
    expect(normaliseStaticPath("/x1/../assets/a-1.js")).toBe("assets/a-1.js")
    expect(normaliseStaticPath("/assets/../sw.js")).toBe("sw.js")
    expect(normaliseStaticPath("/../../etc/passwd")).toBe("etc/passwd")
    expect(normaliseStaticPath("/%E0%A4%A")).toBeUndefined()
    expect(normaliseStaticPath("/a%00.js")).toBeUndefined()
    expect(normaliseStaticPath("/a%5Cb")).toBeUndefined()
  })
})
