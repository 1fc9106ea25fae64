import { RelayError } from "../errors.js"
import type { Batch, Store } from "../store/store.js"
import { prefixRange } from "../store/store.js"
import type { UserRecord } from "./records.js"

// Staff accounts in the `users` sublevel: `u/<id>` holds the record, `n/<username>` → id the index.

/** The canonical form of a typed account name: NFC, trimmed, lower case (as crypto-core). */
export function normaliseLoginName(name: string): string {
  return name.normalize("NFC").trim().toLowerCase()
}

/** Reads a user by id, or undefined. */
export function getUser(store: Store, userId: string): Promise<UserRecord | undefined> {
  return store.get<UserRecord>("users", `u/${userId}`)
}

/** Reads a user by id. @throws RelayError NOT_FOUND. */
export async function requireUser(store: Store, userId: string): Promise<UserRecord> {
  return store.require<UserRecord>("users", `u/${userId}`, "user")
}

/**
 * Reads a user by (normalised) username, or undefined. Always does both lookups, so an unknown
 * name takes as long as a known one.
 */
export async function findUserByName(
  store: Store,
  username: string,
): Promise<UserRecord | undefined> {
  const id = await store.get<string>("users", `n/${username}`)
  return store.get<UserRecord>("users", `u/${id ?? ""}`)
}

/** Every user, in id order. */
export async function listUsers(store: Store): Promise<UserRecord[]> {
  return (await store.list<UserRecord>("users", prefixRange("u/"))).map(([, u]) => u)
}

/** Writes a user record and its username index into `batch`. */
export function putUser(batch: Batch, user: UserRecord): void {
  batch.put("users", `u/${user.id}`, user).put("users", `n/${user.username}`, user.id)
}

/** Removes a user record, its username index and its second factors (`f/<id>`) in `batch`. */
export function deleteUser(batch: Batch, user: UserRecord): void {
  batch.del("users", `u/${user.id}`).del("users", `n/${user.username}`).del("users", `f/${user.id}`)
}

/**
 * Refuses a change that would leave the node without an enabled admin: `change` is what becomes
 * of `user` (demoted, disabled or deleted).
 * @throws RelayError CONFLICT when `user` is the last enabled admin.
 */
export async function keepOneAdmin(store: Store, user: UserRecord, change: string): Promise<void> {
  if (user.role !== "admin" || user.disabled) return
  const others = (await listUsers(store)).filter(
    (u) => u.id !== user.id && u.role === "admin" && !u.disabled,
  )
  if (others.length === 0) {
    throw new RelayError("CONFLICT", `the last admin cannot be ${change}; make another admin first`)
  }
}

/** Runs async work one at a time, in call order. */
export type Serial = <T>(work: () => Promise<T>) => Promise<T>

/**
 * A one-at-a-time queue, for read-check-write sequences on accounts and node settings (a taken
 * username, the last admin) that must not interleave. In process only, like the relay itself.
 */
export function serial(): Serial {
  let tail: Promise<unknown> = Promise.resolve()
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work)
    tail = run.catch(() => undefined)
    return run
  }
}
