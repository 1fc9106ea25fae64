import type { LogLevel } from "./config.js"

/** Fields a log line may carry: ids, counts, codes and durations. Never bodies, IPs or secrets. */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>

/** A structured logger writing one JSON object per line. */
export interface Logger {
  debug(event: string, fields?: LogFields): void
  info(event: string, fields?: LogFields): void
  warn(event: string, fields?: LogFields): void
  error(event: string, fields?: LogFields): void
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 }
// Field names that must never reach a log, whatever a caller passes.
const FORBIDDEN = /pass|secret|token|session|receipt|auth|key|^ip$|addr|body|content|answer/i

/** Creates a logger that drops anything below `level` and redacts forbidden field names. */
export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Logger {
  const emit = (lvl: LogLevel, event: string, fields: LogFields = {}) => {
    if (ORDER[lvl] < ORDER[level]) return
    const safe: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(fields)) safe[k] = FORBIDDEN.test(k) ? "[redacted]" : v
    write(JSON.stringify({ t: new Date().toISOString(), level: lvl, event, ...safe }))
  }
  return {
    debug: (e, f) => emit("debug", e, f),
    info: (e, f) => emit("info", e, f),
    warn: (e, f) => emit("warn", e, f),
    error: (e, f) => emit("error", e, f),
  }
}
