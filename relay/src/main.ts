import { startRelay } from "./app.js"
import { listenAddress, readConfig } from "./config.js"

/** `npm start`: the relay on PORT (8080) with LevelDB in DATA_DIR (./data). */
async function start() {
  try {
    const config = readConfig()
    return { config, relay: await startRelay({ config }) }
  } catch (e) {
    // A bad setting or a port another relay holds: say so plainly and stop.
    console.error(`Sotto relay cannot start: ${e instanceof Error ? e.message : String(e)}`)
    process.exit(1)
  }
}
const { config, relay } = await start()
console.log(
  `Sotto relay on ${listenAddress(config.host, relay.port)} (data in ${config.dataDir})${config.smtpUrl ? "" : "; mail is disabled (set SMTP_URL)"}`,
)

let stopping = false
const stop = async () => {
  if (stopping) return
  stopping = true
  await relay.close()
  process.exit(0)
}
process.on("SIGINT", stop)
process.on("SIGTERM", stop)
