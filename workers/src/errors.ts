import { CryptoError, type CryptoErrorCode } from "@sotto/crypto-core"
import { type TransferHandler, transferHandlers } from "comlink"

// comlink sends a thrown value through its built-in "throw" transfer handler, which keeps only
// `name`, `message` and `stack` of an Error. Callers switch on `CryptoError.code` (WRONG_KEY,
// TAMPERED, ABORTED…), so that handler is wrapped: a CryptoError also carries its code and is
// rebuilt as a real CryptoError on the receiving side; every other value goes the built-in way.

/** What crosses the boundary for a thrown value; the shape of comlink's built-in handler. */
interface SerializedThrow {
  readonly isError: boolean
  readonly value: unknown
}

/** A CryptoError on the wire: exactly the fields callers rely on, plus the worker's stack. */
interface SerializedCryptoError {
  readonly name: "CryptoError"
  readonly code: CryptoErrorCode
  readonly message: string
  readonly stack?: string
}

const installed = new WeakSet<TransferHandler<unknown, unknown>>()

function isSerializedCryptoError(value: unknown): value is SerializedCryptoError {
  if (typeof value !== "object" || value === null) return false
  const v = value as Record<string, unknown>
  return v.name === "CryptoError" && typeof v.code === "string" && typeof v.message === "string"
}

/**
 * Makes `CryptoError`s keep their `code` across a comlink boundary. Must run on both sides (the
 * worker serialises, the main thread rebuilds); the worker entry points and `createCryptoWorkers`
 * call it, so applications never need to. Idempotent.
 */
export function installCryptoErrorTransfer(): void {
  const current = transferHandlers.get("throw")
  if (current === undefined) throw new Error("comlink has no built-in throw handler")
  if (installed.has(current)) return
  const builtIn = current
  const handler: TransferHandler<unknown, SerializedThrow> = {
    canHandle: (value): value is unknown => builtIn.canHandle(value),
    serialize(thrown) {
      const { value } = thrown as { readonly value: unknown }
      if (value instanceof CryptoError) {
        const wire: SerializedCryptoError = {
          name: "CryptoError",
          code: value.code,
          message: value.message,
          ...(value.stack === undefined ? {} : { stack: value.stack }),
        }
        return [{ isError: true, value: wire }, []]
      }
      return builtIn.serialize(thrown) as [SerializedThrow, Transferable[]]
    },
    deserialize(serialized) {
      if (serialized.isError && isSerializedCryptoError(serialized.value)) {
        const { code, message, stack } = serialized.value
        const error = new CryptoError(code, message)
        // The worker's stack says where it failed; the local one would only show comlink.
        if (stack !== undefined) error.stack = stack
        throw error
      }
      return builtIn.deserialize(serialized)
    },
  }
  const generic = handler as TransferHandler<unknown, unknown>
  installed.add(generic)
  transferHandlers.set("throw", generic)
}
