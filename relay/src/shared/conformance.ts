import { describe, expect, it } from "vitest"
import type { Coordinator } from "./coordinator.js"

/**
 * The behaviour every {@link Coordinator} shares. `open` makes a fresh coordinator; `openPeer`, when
 * given, a second one on the same shared state (another process), for the cross-process cases.
 */
export function runCoordinatorConformance(
  name: string,
  open: () => Promise<Coordinator>,
  openPeer?: (first: Coordinator) => Promise<Coordinator>,
): void {
  describe(`${name} coordinator`, () => {
    it("runs lock holders of one key one after another, in call order", async () => {
      const c = await open()
      const order: string[] = []
      const slow = c.withLock("k", async () => {
        order.push("a-in")
        await new Promise((r) => setTimeout(r, 30))
        order.push("a-out")
      })
      const fast = c.withLock("k", async () => {
        order.push("b")
      })
      await Promise.all([slow, fast])
      expect(order).toEqual(["a-in", "a-out", "b"])
      await c.close()
    })

    it("releases a lock whose holder threw", async () => {
      const c = await open()
      await expect(c.withLock("k", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom")
      expect(await c.withLock("k", async () => 7)).toBe(7)
      await c.close()
    })

    it("lets tryLock skip a key that is held and run one that is free", async () => {
      const c = await open()
      let release = () => {}
      const held = c.withLock("t", () => new Promise<void>((r) => (release = r)))
      await new Promise((r) => setTimeout(r, 20))
      expect(await c.tryLock("t", async () => 1)).toEqual({ ran: false })
      expect(await c.tryLock("u", async () => 2)).toEqual({ ran: true, value: 2 })
      release()
      await held
      expect(await c.tryLock("t", async () => 3)).toEqual({ ran: true, value: 3 })
      await c.close()
    })

    it("spends a ticket once and forgets it after its expiry", async () => {
      const c = await open()
      const id = `pow:${Math.random()}`
      expect(await c.spendOnce(id, 2_000, 1_000)).toBe(true)
      expect(await c.spendOnce(id, 2_000, 1_500)).toBe(false)
      expect(await c.spentCount("pow:", 1_500)).toBeGreaterThanOrEqual(1)
      expect(await c.spentCount(id, 2_000)).toBe(0)
      await c.close()
    })

    it("counts hits within the window only, up to the cap", async () => {
      const c = await open()
      const n = `n${Math.random()}`
      expect(await c.hit(n, 1_000, 100, 5)).toBe(1)
      expect(await c.hit(n, 1_050, 100, 5)).toBe(2)
      expect(await c.count(n, 1_099, 100, 5)).toBe(2)
      expect(await c.count(n, 1_120, 100, 5)).toBe(1)
      for (let i = 0; i < 8; i++) await c.hit(n, 1_130, 100, 5)
      expect(await c.count(n, 1_130, 100, 5)).toBe(5)
      expect(await c.count(n, 1_300, 100, 5)).toBe(0)
      await c.close()
    })

    it("keeps counting through its periodic clean-up at real clock times", async () => {
      const c = await open()
      const n = `n${Math.random()}`
      // Epoch milliseconds overflow a 32-bit integer: the clean-up must still run (it did not).
      const now = Date.UTC(2026, 0, 1)
      for (let i = 0; i < 70; i++) await c.hit(n, now, 60_000, 80)
      expect(await c.count(n, now, 60_000, 80)).toBe(70)
      await c.close()
    })

    it("keeps one key per purpose, 32 bytes, distinct across purposes", async () => {
      const c = await open()
      const a = await c.key("pow")
      expect(a.length).toBe(32)
      expect(Buffer.from(await c.key("pow")).equals(Buffer.from(a))).toBe(true)
      expect(Buffer.from(await c.key("recovery")).equals(Buffer.from(a))).toBe(false)
      await c.close()
    })

    if (openPeer) {
      it("holds a lock taken by one process against another", async () => {
        const a = await open()
        const b = await openPeer(a)
        const order: string[] = []
        let release = () => {}
        const held = a.withLock("shared", async () => {
          order.push("a-in")
          await new Promise<void>((r) => (release = r))
          order.push("a-out")
        })
        await new Promise((r) => setTimeout(r, 30))
        expect(await b.tryLock("shared", async () => "b")).toEqual({ ran: false })
        const waiting = b.withLock("shared", async () => {
          order.push("b")
        })
        await new Promise((r) => setTimeout(r, 60))
        release()
        await Promise.all([held, waiting])
        expect(order).toEqual(["a-in", "a-out", "b"])
        await Promise.all([a.close(), b.close()])
      })

      it("releases the locks of a process whose connection dies", async () => {
        const a = await open()
        const b = await openPeer(a)
        void a.withLock("lease", () => new Promise(() => {}))
        await new Promise((r) => setTimeout(r, 30))
        expect(await b.tryLock("lease", async () => 1)).toEqual({ ran: false })
        await a.close()
        expect(await b.withLock("lease", async () => "taken over")).toBe("taken over")
        await b.close()
      })

      it("spends a ticket on one process and refuses it on the other", async () => {
        const a = await open()
        const b = await openPeer(a)
        const id = `recovery:${Math.random()}`
        const results = await Promise.all([
          a.spendOnce(id, 9e12, 1),
          b.spendOnce(id, 9e12, 1),
          a.spendOnce(id, 9e12, 1),
        ])
        expect(results.filter(Boolean)).toHaveLength(1)
        await Promise.all([a.close(), b.close()])
      })

      it("adds up hits from both processes and derives the same keys", async () => {
        const a = await open()
        const b = await openPeer(a)
        const n = `n${Math.random()}`
        await a.hit(n, 1_000, 1_000, 100)
        await b.hit(n, 1_001, 1_000, 100)
        expect(await a.count(n, 1_002, 1_000, 100)).toBe(2)
        expect(Buffer.from(await a.key("pow")).equals(Buffer.from(await b.key("pow")))).toBe(true)
        await Promise.all([a.close(), b.close()])
      })
    }
  })
}
