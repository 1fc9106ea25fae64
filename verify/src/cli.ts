import { parseArgs } from "node:util"
import { formatReport, verifyNode } from "./verifyNode.js"

// `sotto-verify <url> [--socks5 host:port] [--release-key KEY]… [--operator-key KEY]`: prints
// the one-line verdict and the differences; exit 0 when the node serves exactly a signed release,
// 1 on any difference, 2 on a usage error.

const USAGE =
  "usage: sotto-verify <url> [--socks5 127.0.0.1:9050] [--release-key KEY]... [--operator-key KEY]"

let parsed: ReturnType<typeof parse>
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      socks5: { type: "string" },
      "release-key": { type: "string", multiple: true },
      "operator-key": { type: "string" },
      help: { type: "boolean" },
    },
  })
}
try {
  parsed = parse()
} catch (e) {
  console.error(`${(e as Error).message}\n${USAGE}`)
  process.exit(2)
}
const { values, positionals } = parsed
if (values.help || positionals.length !== 1 || !positionals[0]) {
  console.error(USAGE)
  process.exit(values.help ? 0 : 2)
}
try {
  const keys = values["release-key"]
  // Trusting other keys than the shipped ones is said out loud (forks, tests).
  if (keys) console.error(`sotto-verify: trusting the release key(s) ${keys.join(", ")}`)
  const report = await verifyNode({
    url: positionals[0],
    ...(keys ? { releaseKeys: keys } : {}),
    ...(values["operator-key"] ? { operatorKey: values["operator-key"] } : {}),
    ...(values.socks5 ? { socks5: values.socks5 } : {}),
  })
  console.log(formatReport(report))
  process.exit(report.ok ? 0 : 1)
} catch (e) {
  console.error(`sotto-verify: ${(e as Error).message}\n${USAGE}`)
  process.exit(2)
}
