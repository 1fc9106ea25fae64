import { afterEach, describe, expect, it } from "vitest"
import type { StoreBackend } from "./backend.js"

const bytes = (s: string) => new TextEncoder().encode(s)
const text = (b: Uint8Array | undefined) =>
  b === undefined ? undefined : new TextDecoder().decode(b)

/**
 * The shared suite every {@link StoreBackend} must pass. `open` returns a fresh empty backend;
 * `reopen`, when given, closes and reopens the same data to check durability.
 */
export function runBackendConformance(
  name: string,
  open: () => Promise<StoreBackend>,
  reopen?: (backend: StoreBackend) => Promise<StoreBackend>,
): void {
  describe(`${name} store backend`, () => {
    let current: StoreBackend | undefined
    afterEach(async () => {
      await current?.close()
      current = undefined
    })
    const fresh = async () => {
      current = await open()
      return current
    }

    it("returns undefined for a missing key and the bytes written for a present one", async () => {
      const db = await fresh()
      expect(await db.get("users", "nobody")).toBeUndefined()
      await db.batch([{ type: "put", sublevel: "users", key: "u1", value: bytes("alice") }])
      expect(text(await db.get("users", "u1"))).toBe("alice")
    })

    it("keeps sublevels apart", async () => {
      const db = await fresh()
      await db.batch([{ type: "put", sublevel: "users", key: "k", value: bytes("user") }])
      expect(await db.get("tips", "k")).toBeUndefined()
    })

    it("applies a batch across sublevels, deletes included", async () => {
      const db = await fresh()
      await db.batch([
        { type: "put", sublevel: "tips", key: "t1", value: bytes("tip") },
        { type: "put", sublevel: "wraps", key: "t1/u1", value: bytes("wrap") },
      ])
      await db.batch([
        { type: "del", sublevel: "wraps", key: "t1/u1" },
        { type: "put", sublevel: "audit", key: "a1", value: bytes("revoked") },
      ])
      expect(await db.get("wraps", "t1/u1")).toBeUndefined()
      expect(text(await db.get("audit", "a1"))).toBe("revoked")
      expect(text(await db.get("tips", "t1"))).toBe("tip")
    })

    it("iterates a range in byte-wise key order, with limit and reverse", async () => {
      const db = await fresh()
      const keys = ["t/b", "t/a", "t/c", "u/a", "t/\u00e9", "t/Z"]
      await db.batch(
        keys.map((key) => ({
          type: "put" as const,
          sublevel: "timers" as const,
          key,
          value: bytes(key),
        })),
      )
      const all: string[] = []
      for await (const [k] of db.entries("timers", { gte: "t/", lt: "t/\uffff" })) all.push(k)
      expect(all).toEqual(["t/Z", "t/a", "t/b", "t/c", "t/\u00e9"])
      const firstTwo: string[] = []
      for await (const [k] of db.entries("timers", { gte: "t/", lt: "t/\uffff", limit: 2 }))
        firstTwo.push(k)
      expect(firstTwo).toEqual(["t/Z", "t/a"])
      const reversed: string[] = []
      for await (const [k] of db.entries("timers", {
        gte: "t/",
        lt: "t/\uffff",
        reverse: true,
        limit: 1,
      }))
        reversed.push(k)
      expect(reversed).toEqual(["t/\u00e9"])
    })

    it("stores binary values byte for byte", async () => {
      const db = await fresh()
      const value = new Uint8Array(256).map((_, i) => i)
      await db.batch([{ type: "put", sublevel: "chunks", key: "f/0", value }])
      expect(await db.get("chunks", "f/0")).toEqual(value)
    })

    it("compacts without losing live data", async () => {
      const db = await fresh()
      await db.batch([
        { type: "put", sublevel: "objects", key: "keep", value: bytes("1") },
        { type: "put", sublevel: "objects", key: "drop", value: bytes("2") },
      ])
      await db.batch([{ type: "del", sublevel: "objects", key: "drop" }])
      await db.compact()
      expect(text(await db.get("objects", "keep"))).toBe("1")
      expect(await db.get("objects", "drop")).toBeUndefined()
    })

    describe("blobs", () => {
      const piece = (n: number, fill: number) => new Uint8Array(n).fill(fill)
      const ids = async (db: StoreBackend) => {
        const out: string[] = []
        for await (const id of db.blobIds()) out.push(id)
        return out.sort()
      }

      it("reads pieces written out of order at their offsets, across piece boundaries", async () => {
        const db = await fresh()
        await db.writeBlob("file_1", 2000, piece(500, 3))
        await db.writeBlob("file_1", 0, piece(1000, 1))
        await db.writeBlob("file_1", 1000, piece(1000, 2))
        const all = await db.readBlob("file_1", 0, 2500)
        expect(all?.byteLength).toBe(2500)
        expect([all?.[0], all?.[999], all?.[1000], all?.[1999], all?.[2000], all?.[2499]]).toEqual([
          1, 1, 2, 2, 3, 3,
        ])
        const span = await db.readBlob("file_1", 990, 20)
        expect(span).toEqual(new Uint8Array([...piece(10, 1), ...piece(10, 2)]))
      })

      it("stops a read at the blob's end and reads never-written bytes as zeros", async () => {
        const db = await fresh()
        await db.writeBlob("sparse", 100, piece(10, 9))
        expect(await db.readBlob("sparse", 105, 100)).toEqual(piece(5, 9))
        expect(await db.readBlob("sparse", 0, 4)).toEqual(piece(4, 0))
        expect(await db.readBlob("sparse", 200, 4)).toEqual(new Uint8Array(0))
      })

      it("rewrites a piece in place, keeps blobs apart and stores every byte value", async () => {
        const db = await fresh()
        const bytes = new Uint8Array(256).map((_, i) => i)
        await db.writeBlob("a", 0, piece(256, 7))
        await db.writeBlob("a", 0, bytes)
        await db.writeBlob("b", 0, piece(4, 1))
        expect(await db.readBlob("a", 0, 256)).toEqual(bytes)
        expect(await db.readBlob("b", 0, 256)).toEqual(piece(4, 1))
      })

      it("deletes a blob (a missing one too) and lists only the blobs that exist", async () => {
        const db = await fresh()
        expect(await db.readBlob("never", 0, 10)).toBeUndefined()
        await db.writeBlob("keep", 0, piece(8, 1))
        await db.writeBlob("drop", 0, piece(8, 2))
        expect(await ids(db)).toEqual(["drop", "keep"])
        await db.deleteBlob("drop")
        await db.deleteBlob("never")
        expect(await db.readBlob("drop", 0, 8)).toBeUndefined()
        expect(await ids(db)).toEqual(["keep"])
      })

      it("refuses an id that is not a plain name and a negative offset", async () => {
        const db = await fresh()
        await expect(db.writeBlob("../etc", 0, piece(1, 1))).rejects.toThrow(/blob id/)
        await expect(db.readBlob("a/b", 0, 1)).rejects.toThrow(/blob id/)
        await expect(db.writeBlob("ok", -1, piece(1, 1))).rejects.toThrow(/offset/)
      })

      it("takes a batch written without sync like any other", async () => {
        const db = await fresh()
        await db.batch([{ type: "put", sublevel: "chunks", key: "f", value: bytes("bits") }], {
          sync: false,
        })
        expect(text(await db.get("chunks", "f"))).toBe("bits")
      })
    })

    if (reopen) {
      it("keeps written blobs across a close and reopen", async () => {
        const db = await fresh()
        await db.writeBlob("kept", 4, bytes("acked"))
        current = await reopen(db)
        expect(text(await current.readBlob("kept", 4, 5))).toBe("acked")
      })

      it("keeps acknowledged writes across a close and reopen", async () => {
        const db = await fresh()
        await db.batch([{ type: "put", sublevel: "chunks", key: "c", value: bytes("acked") }])
        current = await reopen(db)
        expect(text(await current.get("chunks", "c"))).toBe("acked")
      })
    }
  })
}
