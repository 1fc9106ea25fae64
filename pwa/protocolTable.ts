import { fileURLToPath, pathToFileURL } from "node:url"

// The PWA needs from each route spec only what RelayClient reads (method, path, whether the body
// or the response is raw bytes), not the TypeBox schemas the relay validates with: building those
// at import cost the whistleblower's first load about a third of its entry chunk. At build time
// (pwa/vite.config.ts) `@sotto/protocol` resolves to the module this file prints, generated
// from the real specs on every build, so there is no second source of truth; the types still
// come from the real protocol. protocolTable.test.ts checks the table against ALL_SPECS.

/** What the browser keeps of one route spec. */
export interface SlimRoute {
  readonly id: string
  readonly method: string
  readonly path: string
  /** `"binary"` for raw-bytes bodies, `"json"` for a schema body, absent for none. */
  readonly body?: "binary" | "json"
  readonly response: "binary" | "json"
  readonly bodyLimit?: number
  readonly status?: number
}

/** One protocol namespace (accounts, wb, files…): its routes and its plain constants. */
export type SlimNamespace = Record<string, SlimRoute | string | number | boolean>

/** Top-level exports of `@sotto/protocol` that the generated module re-exports as code. */
const CODE_EXPORTS = new Set(["RelayClient", "RelayClientError", "BINARY", "route"])
/** Top-level exports deliberately absent in the browser (an import of one fails the build). */
const SERVER_ONLY = new Set(["ALL_SPECS"])

const isRoute = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && "path" in v && "method" in v && "id" in v

/** The browser's view of one spec. @throws Error when a binary marker is not the BINARY string. */
export function slimRoute(spec: Record<string, unknown>, binary: string): SlimRoute {
  const body = spec.body === undefined ? undefined : spec.body === binary ? "binary" : "json"
  return {
    id: String(spec.id),
    method: String(spec.method),
    path: String(spec.path),
    ...(body ? { body } : {}),
    response: spec.response === binary ? "binary" : "json",
    ...(typeof spec.bodyLimit === "number" ? { bodyLimit: spec.bodyLimit } : {}),
    ...(typeof spec.status === "number" ? { status: spec.status } : {}),
  }
}

/**
 * The slim table of a protocol module namespace: every namespace export with its routes and
 * primitive constants (schemas and schema builders are left out), plus the top-level primitives.
 * @throws Error when the protocol grows a top-level export this generator does not know.
 */
export function slimProtocol(protocol: Record<string, unknown>): {
  namespaces: Record<string, SlimNamespace>
  constants: Record<string, string | number | boolean>
} {
  const binary = String(protocol.BINARY)
  const namespaces: Record<string, SlimNamespace> = {}
  const constants: Record<string, string | number | boolean> = {}
  for (const [name, value] of Object.entries(protocol)) {
    if (CODE_EXPORTS.has(name) || SERVER_ONLY.has(name)) continue
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      constants[name] = value
    } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const ns: SlimNamespace = {}
      for (const [key, member] of Object.entries(value)) {
        if (isRoute(member)) ns[key] = slimRoute(member, binary)
        else if (["string", "number", "boolean"].includes(typeof member))
          ns[key] = member as string | number | boolean
      }
      namespaces[name] = ns
    } else {
      throw new Error(`protocolTable: unknown top-level export ${name} (${typeof value})`)
    }
  }
  return { namespaces, constants }
}

/** Where the protocol's browser-safe code lives (client and route helpers). */
const PROTOCOL_DIR = fileURLToPath(new URL("../protocol/src/", import.meta.url))

/** The ES module source that stands in for `@sotto/protocol` in the browser build. */
export function protocolTableSource(protocol: Record<string, unknown>): string {
  const { namespaces, constants } = slimProtocol(protocol)
  const lines = [
    "// Generated at build time by pwa/protocolTable.ts from @sotto/protocol. Do not edit.",
    `export * from ${JSON.stringify(`${PROTOCOL_DIR}client.ts`)}`,
    `export * from ${JSON.stringify(`${PROTOCOL_DIR}route.ts`)}`,
  ]
  for (const [name, value] of Object.entries(constants))
    lines.push(`export const ${name} = ${JSON.stringify(value)}`)
  for (const [name, ns] of Object.entries(namespaces))
    lines.push(`export const ${name} = ${JSON.stringify(ns, null, 1)}`)
  return `${lines.join("\n")}\n`
}

// `tsx pwa/protocolTable.ts` prints the module (the Vite plugin runs it: the config itself
// cannot import the .ts protocol under plain Node).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const protocol = (await import("@sotto/protocol")) as unknown as Record<string, unknown>
  process.stdout.write(protocolTableSource(protocol))
}
