// The C2SP CCTV age vectors through crypto-core's API, with WebCrypto available (see _cctvRun.ts).
import { armor } from "age-encryption"
import { defineCctvSuites } from "./_cctvRun.js"
import * as core from "./index.js"

defineCctvSuites("with WebCrypto", () => ({ core, armorDecode: armor.decode }))
