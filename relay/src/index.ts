/** @sotto/relay: the uWebSockets.js relay. The wire protocol and typed client are in `@sotto/protocol`. */
export { type Relay, type RelayOptions, startRelay } from "./app.js"
export { type RelayConfig, readConfig } from "./config.js"
export { type Clock, ManualClock } from "./services/clock.js"
export { DATA_MAJOR, DataDirError } from "./services/dataVersion.js"
export { MemoryBackend } from "./store/memoryBackend.js"
