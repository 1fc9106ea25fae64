import type { RelayContext } from "../context.js"

/**
 * One `T` per running relay, made by `make` on first use and kept as long as the context lives
 * (in memory: a restart starts afresh).
 */
export function perContext<T>(make: (ctx: RelayContext) => T): (ctx: RelayContext) => T {
  const made = new WeakMap<RelayContext, T>()
  return (ctx) => {
    let value = made.get(ctx)
    if (!value) {
      value = make(ctx)
      made.set(ctx, value)
    }
    return value
  }
}
