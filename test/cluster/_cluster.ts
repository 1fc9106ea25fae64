import { type ChildProcess, spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { createServer, Socket } from "node:net"
import { join } from "node:path"
import { RelayClient } from "@sotto/protocol"
import pg from "pg"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"

// A node of several relay processes on one PostgreSQL schema and one NATS subject: an in-process
// relay (so tests can seed through its store) and N real child processes (`node --import tsx
// relay/src/main.ts`), each on its own loopback port, all sharing the secrets key file.

const ROOT = new URL("../../", import.meta.url).pathname
export const PG_URL = process.env.SOTTO_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test"
export const NATS_URL = process.env.SOTTO_TEST_NATS_URL ?? "nats://127.0.0.1:4222"

/** One child relay process. */
export interface Member {
  readonly child: ChildProcess
  readonly port: number
  /** The seed relay's view with this process's client and URL (seeding helpers take it). */
  readonly view: TestRelay
}

/** A running cluster. */
export interface Cluster {
  readonly seed: TestRelay
  readonly members: Member[]
  readonly schema: string
  readonly env: Record<string, string>
  /** Spawns one more member with extra environment. */
  spawnMember(extra?: Record<string, string>): Promise<Member>
  /** Stops every process and drops the schema. */
  stop(): Promise<void>
}

/** Whether PostgreSQL and NATS answer; CI=true makes their absence an error, never a silent pass. */
export async function servicesReachable(): Promise<boolean> {
  const pgUp = await canConnectPg(PG_URL)
  const natsUp = await canConnectTcp(NATS_URL)
  if (pgUp && natsUp) return true
  const missing = [pgUp ? "" : `PostgreSQL at ${PG_URL}`, natsUp ? "" : `NATS at ${NATS_URL}`]
    .filter(Boolean)
    .join(" and ")
  if (process.env.CI === "true")
    throw new Error(`the cluster tests need ${missing} (CI needs them)`)
  console.warn(`SKIPPED: the cluster tests need ${missing}`)
  return false
}

/** Starts the seed relay and `count` child processes on a fresh schema. */
export async function startCluster(count: number, extra: Record<string, string> = {}) {
  const schema = `sotto_cluster_${randomBytes(5).toString("hex")}`
  const env = { STORE_URL: PG_URL, STORE_SCHEMA: schema, BUS_URL: NATS_URL, ...extra }
  const seed = await startTestRelay({ env })
  const members: Member[] = []
  const spawnMember = async (more: Record<string, string> = {}) => {
    const member = await spawnRelay(seed, { ...env, ...more })
    members.push(member)
    return member
  }
  for (let i = 0; i < count; i++) await spawnMember()
  const cluster: Cluster = {
    seed,
    members,
    schema,
    env,
    spawnMember,
    stop: async () => {
      for (const m of members) m.child.kill("SIGKILL")
      await seed.destroy()
      const client = new pg.Client({ connectionString: PG_URL })
      await client.connect()
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      await client.end()
    },
  }
  return cluster
}

/** A relay process sharing `seed`'s store, secrets key and bus; resolves once it listens. */
export async function spawnRelay(seed: TestRelay, env: Record<string, string>): Promise<Member> {
  const child = spawn(process.execPath, ["--import", "tsx", "relay/src/main.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: join(seed.dataDir, `member-${randomBytes(3).toString("hex")}`),
      LOG_LEVEL: process.env.SOTTO_CLUSTER_LOG ?? "silent",
      STATIC_DIR: join(seed.dataDir, "no-static"),
      SECRETS_KEY_FILE: `${seed.dataDir}.secrets.key`,
      OPRF_KEY_FILE: `${seed.dataDir}.oprf.key`,
      ...env,
    },
    stdio: ["ignore", "pipe", process.env.SOTTO_CLUSTER_LOG ? "inherit" : "pipe"],
  })
  const port = await new Promise<number>((resolve, reject) => {
    let out = ""
    let err = ""
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString()
      if (process.env.SOTTO_CLUSTER_LOG) process.stderr.write(d)
      const m = /Sotto relay on http:\/\/(?:\[[^\]]+\]|[^:/\s]+):(\d+)/.exec(out)
      if (m) resolve(Number(m[1]))
    })
    child.stderr?.on("data", (d: Buffer) => {
      err += d.toString()
    })
    child.on("exit", (code) => reject(new Error(`relay exited early with ${code}: ${err.trim()}`)))
  })
  const baseUrl = `http://127.0.0.1:${port}`
  return { child, port, view: { ...seed, client: new RelayClient(baseUrl), baseUrl } }
}

/** A port free on loopback right now. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (typeof address !== "object" || address === null) throw new Error("no port")
  return address.port
}

async function canConnectPg(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.end()
    return true
  } catch {
    return false
  }
}

async function canConnectTcp(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve) => {
    const socket = new Socket()
    socket.setTimeout(3000)
    socket.once("connect", () => {
      socket.destroy()
      resolve(true)
    })
    socket.once("error", () => resolve(false))
    socket.once("timeout", () => {
      socket.destroy()
      resolve(false)
    })
    socket.connect(Number(port), hostname)
  })
}
