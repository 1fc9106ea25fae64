import { writeFile } from "node:fs/promises"
import { launchBrowser, startAppRelay } from "./_browser.js"
import { measureFirstVisit } from "./_firstVisit.js"
import { prepareNode } from "./_node.js"

// `tsx test/e2e/_firstVisitMain.ts <out.json>`: the first-visit figures for bench/src/bundle.ts
// (the node setup lives in the test helpers). A relay serving the build (SOTTO_PWA_DIST or
// pwa/dist) on localhost, so the page is a secure context as over HTTPS; `runs` cold visits from
// a browser asking for FIRST_VISIT_LOCALE (default en-US).

const out = process.argv[2]
if (!out) throw new Error("usage: tsx test/e2e/_firstVisitMain.ts <out.json>")
const runs = Number(process.env.FIRST_VISIT_RUNS ?? 3)

const [browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
try {
  const node = await prepareNode(t)
  const base = t.baseUrl.replace("127.0.0.1", "localhost")
  const locale = process.env.FIRST_VISIT_LOCALE ?? "en-US"
  const visits = []
  for (let i = 0; i < runs; i++)
    visits.push(await measureFirstVisit(browser, base, node.contextName, 1500, locale))
  await writeFile(out, JSON.stringify(visits))
} finally {
  await browser.close()
  await t.destroy()
}
