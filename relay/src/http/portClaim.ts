import { createHash } from "node:crypto"
import { readFile } from "node:fs/promises"
import { createServer, type Server } from "node:net"
import type { RelayConfig } from "../config.js"

// Port sharing (REUSE_PORT=1) is for the processes of one node only. SO_REUSEPORT lets any process
// of the same user join a port, so before listening each sharing process announces which node it
// serves: it holds a Linux abstract Unix socket named `sotto-port-<port>-<node>-<pid>` (the kernel
// removes it when the process dies, so nothing goes stale) and refuses to start if a socket of the
// same port names another node. Both processes of a simultaneous start see each other's name, so
// both refuse rather than both proceed.

/** Which node a process serves, for {@link claimSharedPort}. */
export interface PortClaim {
  /** A short digest of the store's address and schema: equal exactly for one node's processes. */
  readonly node: string
}

/** A held claim. */
export interface HeldClaim {
  release(): void
}

/** The claim of the node `config` names (its STORE_URL without password, and schema). */
export function portClaimOf(config: RelayConfig): PortClaim {
  const url = new URL(config.storeUrl ?? "leveldb:")
  url.password = ""
  const node = createHash("sha256")
    .update(`${url.href}\u0000${config.storeSchema ?? "sotto"}`)
    .digest("hex")
    .slice(0, 16)
  return { node }
}

/**
 * Announces `claim` on `port` and checks that no process serving another node shares it.
 * @throws Error naming the conflict, or when the system has no abstract sockets (not Linux).
 */
export async function claimSharedPort(claim: PortClaim, port: number): Promise<HeldClaim> {
  if (process.platform !== "linux") {
    throw new Error("REUSE_PORT=1 is supported on Linux only (abstract sockets announce the node)")
  }
  if (port === 0) throw new Error("REUSE_PORT=1 needs a fixed PORT")
  const prefix = `sotto-port-${port}-`
  const server: Server = createServer((socket) => socket.destroy())
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen({ path: `\u0000${prefix}${claim.node}-${process.pid}` }, () => resolve())
  })
  const release = () => {
    server.close()
  }
  const others = (await readFile("/proc/net/unix", "utf8")).split("\n").flatMap((line) => {
    const name = line.trim().split(/\s+/).at(-1) ?? ""
    return name.startsWith(`@${prefix}`) ? [name.slice(prefix.length + 1).split("-")[0]] : []
  })
  if (others.some((node) => node !== claim.node)) {
    release()
    throw new Error(
      `port ${port} is shared by relay processes of another node (another STORE_URL or STORE_SCHEMA); only one node's processes may share a port`,
    )
  }
  return { release }
}
