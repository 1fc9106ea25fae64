import { describe, expect, it } from "vitest"
import { fileSlices } from "./fileSlices.js"

async function pieces(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = []
  for await (const piece of stream as unknown as AsyncIterable<Uint8Array>) out.push(piece)
  return out
}

describe("fileSlices", () => {
  it("reads a blob in slices of the given size, the last one shorter, bytes in order", async () => {
    const bytes = Uint8Array.from({ length: 10 }, (_, i) => i)
    const got = await pieces(fileSlices(new Blob([bytes]), 4))
    expect(got.map((p) => p.length)).toEqual([4, 4, 2])
    expect(Array.from(got.flatMap((p) => Array.from(p)))).toEqual(Array.from(bytes))
  })

  it("gives an empty blob as no slices at all", async () => {
    expect(await pieces(fileSlices(new Blob([]), 4))).toEqual([])
  })

  it("reads nothing until asked: one slice per pull", async () => {
    let sliced = 0
    class CountingBlob extends Blob {
      override slice(start?: number, end?: number): Blob {
        sliced++
        return super.slice(start, end)
      }
    }
    const counting = new CountingBlob([new Uint8Array(12)])
    const reader = fileSlices(counting, 4).getReader()
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(sliced).toBe(0)
    await reader.read()
    expect(sliced).toBe(1)
  })

  it("refuses a slice size that is not a positive integer", () => {
    expect(() => fileSlices(new Blob([]), 0)).toThrow(RangeError)
  })
})
