import { createHash } from "node:crypto"
import { ALL_SPECS, type AnyRoute, BINARY } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestRelay, type TestRelay } from "./_harness.js"

// A sweep over every route of the protocol, on top of each group's own bad-input tests: a body of
// the wrong type, an empty object, an oversized body and a malformed path parameter must each get
// a 4xx JSON error naming the field, and leave the store exactly as it was.

let t: TestRelay
const sessions: Record<"admin" | "recipient" | "custodian" | "wb", string> = {
  admin: "",
  recipient: "",
  custodian: "",
  wb: "",
}

beforeAll(async () => {
  t = await startTestRelay()
  const create = async (fields: Parameters<TestRelay["relay"]["ctx"]["sessions"]["create"]>[0]) =>
    (await t.relay.ctx.sessions.create(fields)).token
  sessions.admin = await create({
    kind: "staff",
    userId: "sweep-admin",
    role: "admin",
    stage: "full",
  })
  sessions.recipient = await create({
    kind: "staff",
    userId: "sweep-recipient",
    role: "recipient",
    stage: "full",
  })
  sessions.custodian = await create({
    kind: "staff",
    userId: "sweep-custodian",
    role: "custodian",
    stage: "full",
  })
  sessions.wb = await create({ kind: "wb", tipId: "sweepTip" })
})
afterAll(async () => {
  await t.destroy()
})

function sessionFor(route: AnyRoute): string | undefined {
  const access = route.access
  if (access === "public") return undefined
  if (access === "wb" || access === "session") return sessions.wb
  if (access === "staff" || access === "staff-partial" || access === "staff-enrol") {
    return sessions.admin
  }
  return access.includes("admin") ? sessions.admin : sessions[access[0] ?? "recipient"]
}

function urlOf(route: AnyRoute, badParam?: string): string {
  const path = route.path.replace(/:([A-Za-z]+)/g, (_, name: string) =>
    name === badParam ? "bad%20id%21" : "x0",
  )
  return `${t.baseUrl}${path}`
}

async function storeDigest(): Promise<string> {
  const hash = createHash("sha256")
  for (const sub of [
    "users",
    "contexts",
    "tips",
    "wraps",
    "objects",
    "chunks",
    "timers",
    "settings",
  ] as const) {
    for await (const [k, v] of t.relay.ctx.store.backend.entries(sub))
      hash.update(`${sub}/${k}`).update(v)
  }
  return hash.digest("hex")
}

async function send(
  route: AnyRoute,
  body: string | Uint8Array<ArrayBuffer> | undefined,
  badParam?: string,
) {
  const session = sessionFor(route)
  const res = await fetch(urlOf(route, badParam), {
    method: route.method,
    headers: {
      ...(session ? { "X-Session": session } : {}),
      "Content-Type": route.body === BINARY ? "application/octet-stream" : "application/json",
      "X-Chunk-Sha256": "A".repeat(43),
    },
    ...(body === undefined ? {} : { body }),
  })
  const json = (await res.json()) as { error?: { code: string; field?: string } }
  return { status: res.status, error: json.error }
}

const jsonBodies = ALL_SPECS.filter((r) => r.body !== undefined && r.body !== BINARY)
const withParams = ALL_SPECS.filter((r) => r.path.includes(":"))
const withBodies = ALL_SPECS.filter((r) => r.body !== undefined)

describe("every route refuses bad input without changing anything", () => {
  it("covers the whole protocol", () => {
    expect(jsonBodies.length).toBeGreaterThanOrEqual(19)
    expect(withParams.length).toBeGreaterThan(15)
  })

  it.each(jsonBodies.map((r) => [r.id, r] as const))(
    "%s: a body of the wrong type names the body",
    async (_, route) => {
      const before = await storeDigest()
      const r = await send(route, JSON.stringify(["not", "an", "object"]))
      expect(r.status).toBe(400)
      expect(r.error?.field).toBe("body")
      expect(await storeDigest()).toBe(before)
    },
  )

  it.each(jsonBodies.map((r) => [r.id, r] as const))(
    "%s: an empty object names a missing field",
    async (_, route) => {
      const required = (route.body as { required?: string[] }).required ?? []
      const before = await storeDigest()
      const r = await send(route, "{}")
      if (required.length === 0) {
        expect(r.status).toBeLessThan(500)
      } else {
        expect(r.status).toBe(400)
        expect(required.map((f) => `body.${f}`)).toContain(r.error?.field)
      }
      expect(await storeDigest()).toBe(before)
    },
  )

  it.each(withBodies.map((r) => [r.id, r] as const))(
    "%s: a body over the route's limit is refused with 413",
    async (_, route) => {
      const before = await storeDigest()
      const r = await send(route, new Uint8Array((route.bodyLimit ?? 65536) + 1).fill(32))
      expect(r.status).toBe(413)
      expect(r.error?.code).toBe("BODY_TOO_LARGE")
      expect(r.error?.field).toBe("body")
      expect(await storeDigest()).toBe(before)
    },
  )

  it.each(withParams.map((r) => [r.id, r] as const))(
    "%s: a malformed path parameter is named",
    async (_, route) => {
      const name = /:([A-Za-z]+)/.exec(route.path)?.[1] ?? ""
      const before = await storeDigest()
      const r = await send(
        route,
        route.body === undefined ? undefined : route.body === BINARY ? new Uint8Array(1) : "{}",
        name,
      )
      expect(r.status).toBe(400)
      expect(r.error?.field).toBe(`params.${name}`)
      expect(await storeDigest()).toBe(before)
    },
  )
})
