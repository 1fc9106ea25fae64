import { startRelay } from "./app.js"
import { readConfig } from "./config.js"

/** `npm start`: the relay on PORT (8080) with LevelDB in DATA_DIR (./data). */
const config = readConfig()
const relay = await startRelay({ config }).catch((e: unknown) => {
  // A refused data dir (DATA_DIR_VERSION) or a port in use: say why and stop, never half-run.
  console.error(`Sotto relay did not start: ${e instanceof Error ? e.message : String(e)}`)
  process.exit(1)
})
console.log(
  `Sotto relay on http://localhost:${relay.port} (data in ${config.dataDir})${config.smtpUrl ? "" : "; mail is disabled (set SMTP_URL)"}`,
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
