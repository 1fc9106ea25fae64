import { writeFile } from "node:fs/promises"
import { launchBrowser, startAppRelay } from "./_browser.js"
import { prepareNode, randomFile, removeRandomFiles } from "./_node.js"
import { measureSlowLink, SLOW_LINK, SLOW_LINK_QUESTIONS } from "./_slowLink.js"
import { startThrottleProxy } from "./_throttleProxy.js"

// `tsx test/e2e/_slowLinkMain.ts <out.json>`: the slow-link figures for bench/src/slowLink.ts
// (which runs this because the node setup lives in the test helpers). Starts a relay serving
// the build (SOTTO_PWA_DIST or pwa/dist) and Chromium, measures `runs` cold/warm visits and one
// 1 MiB submission under CDP emulation, then one run (visits and submission) through a paced TCP
// proxy at the same rates, and writes the JSON to the given path.

const out = process.argv[2]
if (!out) throw new Error("usage: tsx test/e2e/_slowLinkMain.ts <out.json>")
const runs = Number(process.env.SLOW_LINK_RUNS ?? 3)
const MiB = 1024 * 1024

const [browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
try {
  const node = await prepareNode(t, { questionnaire: SLOW_LINK_QUESTIONS })
  const base = t.baseUrl.replace("127.0.0.1", "localhost")
  const visits = []
  for (let i = 0; i < runs; i++) visits.push(await measureSlowLink(browser, base, node.contextId))
  const file = await randomFile("evidence.bin", MiB)
  const submission = await measureSlowLink(browser, base, node.contextId, {
    file,
    // 1 MiB at 100 kbit/s is 84 s of upload alone.
    submitTimeoutMs: 150_000,
  })
  // The same through a paced TCP proxy (steady flow) instead of CDP emulation.
  const proxy = await startThrottleProxy(Number(new URL(t.baseUrl).port), SLOW_LINK)
  try {
    const proxied = await measureSlowLink(browser, proxy.baseUrl, node.contextId, {
      file,
      emulate: false,
      submitTimeoutMs: 240_000,
    })
    await writeFile(out, JSON.stringify({ link: SLOW_LINK, visits, submission, proxied }))
  } finally {
    await proxy.close()
  }
} finally {
  await removeRandomFiles()
  await browser.close()
  await t.destroy()
}
