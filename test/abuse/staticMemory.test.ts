import { readdirSync, statSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { BUILT_PWA, type ChildRelay, startChildRelay } from "./_childRelay.js"
import { inBatches, rawRequest } from "./_raw.js"

// Issue 11: the static handler cached each file under the path as requested, so 400 GETs of
// `/xN/../assets/<entry>.js` took the relay from about 100 to over 1000 MiB RSS. The table of the
// build is fixed: asking for the same file under 400 names costs nothing more.

/** RSS growth allowed over the 400 requests, in MiB (one cached copy per name would be ~900). */
const RSS_BOUND_MIB = 64

describe("static files under many names", () => {
  let relay: ChildRelay
  let asset: string

  beforeAll(async () => {
    const assets = join(BUILT_PWA, "assets")
    // The largest script of the build: each copy the old cache kept weighed most.
    asset = readdirSync(assets)
      .filter((name) => name.endsWith(".js"))
      .sort((a, b) => statSync(join(assets, b)).size - statSync(join(assets, a)).size)[0] as string
    relay = await startChildRelay({ STATIC_DIR: BUILT_PWA })
  })
  afterAll(async () => {
    await relay?.destroy()
  })

  it(`keeps the relay's RSS within ${RSS_BOUND_MIB} MiB over 400 GETs of /xN/../assets/<entry>.js`, async () => {
    const warm = await rawRequest(relay.baseUrl, `/assets/${asset}`, { discard: true })
    expect(warm.status).toBe(200)
    const before = await relay.rssMiB()
    const statuses = await inBatches(400, 16, async (i) => {
      const res = await rawRequest(relay.baseUrl, `/x${i}/../assets/${asset}`, {
        headers: { "Accept-Encoding": i % 3 === 0 ? "br" : i % 3 === 1 ? "gzip" : "identity" },
        discard: true,
      })
      return res.status
    })
    expect(new Set(statuses)).toEqual(new Set([200]))
    const after = await relay.rssMiB()
    expect(after - before).toBeLessThan(RSS_BOUND_MIB)
  })
})
