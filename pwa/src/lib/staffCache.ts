import type { SealedAccountIdentity } from "@sotto/crypto-core"
import {
  accounts,
  contexts,
  RelayClientError,
  type ResponseOf,
  type Role,
  tips,
} from "@sotto/protocol"
import { proxy } from "@sotto/workers"
import { type DBSchema, deleteDB, type IDBPDatabase, openDB } from "idb"
import type { StaffSessionState } from "../store/createStaffSession.js"
import { relay } from "./api.js"
import { crypto } from "./crypto.js"
import { errorCode } from "./errors.js"
import { trustManifest } from "./nodeTrust.js"
import { type SignedDirectory, verifyColleagues } from "./staffDirectory.js"
import { type OpenTip, openRead, type TipSummary } from "./staffTips.js"
import { fromBase64url } from "./wbBytes.js"

// The recipient's offline copies. After a login, the account's public KDF inputs and its sealed
// identity (as the relay handed them out: openable only with the password); after a tip is
// opened, the getTip response exactly as it came (ciphertext and the user's own wrap). Offline,
// the password is stretched in the KDF worker, the sealed identity opens in the account worker
// and the kept tips open in the tip worker. Nothing here is readable without the password.

/** The database's name. */
export const STAFF_DB = "sotto-staff"

type TipRead = ResponseOf<typeof tips.getTip>

/** What an offline login needs (public or sealed). */
interface CachedAccount {
  readonly username: string
  readonly userId: string
  readonly name: string
  readonly role: Role
  readonly kdf: ResponseOf<typeof accounts.getAuthParams>
  readonly sealedIdentity: SealedAccountIdentity
}

interface CachedTip {
  readonly userId: string
  readonly read: TipRead
  /** The context's signed directory and the node key it verified under (checked again). */
  readonly directory?: { readonly signed: SignedDirectory; readonly nodeKey: string }
  readonly savedAt: number
}

interface StaffSchema extends DBSchema {
  accounts: { key: string; value: CachedAccount }
  /** By `${userId}/${tipId}`. */
  tips: { key: string; value: CachedTip; indexes: { userId: string } }
}

let opening: Promise<IDBPDatabase<StaffSchema>> | undefined

function db(): Promise<IDBPDatabase<StaffSchema>> {
  opening ??= openDB<StaffSchema>(STAFF_DB, 1, {
    upgrade(d) {
      d.createObjectStore("accounts")
      d.createObjectStore("tips").createIndex("userId", "userId")
    },
  }).catch((error: unknown) => {
    opening = undefined
    throw error
  })
  return opening
}

/**
 * Keeps what an offline login needs (after a full login). Fetches the account's public KDF
 * inputs again; failures (no storage, no connection) are ignored: offline reading is a bonus.
 */
export async function rememberAccount(
  state: StaffSessionState,
  sealedIdentity: SealedAccountIdentity,
): Promise<void> {
  try {
    const kdf = await relay.call(accounts.getAuthParams, { query: { username: state.username } })
    const { username, userId, name, role } = state
    await (await db()).put(
      "accounts",
      { username, userId, name, role, kdf, sealedIdentity },
      username.toLowerCase(),
    )
  } catch {
    // Nothing to do: this device then simply keeps no copy.
  }
}

/**
 * Logs in without a connection: the password opens the kept sealed identity.
 * @returns a session state marked `offline` (no relay session).
 * @throws Error with code `OFFLINE_NO_COPY` when this device keeps nothing for the account,
 * `OFFLINE_OPRF` when the account's password is derived through the relay's OPRF;
 * RelayClientError `WRONG_CREDENTIALS` when the password does not open it.
 */
export async function offlineLogin(
  username: string,
  password: string,
  onProgress: (fraction: number) => void,
): Promise<StaffSessionState> {
  const found = await (await db()).get("accounts", username.toLowerCase()).catch(() => undefined)
  if (!found) throw Object.assign(new Error("no offline copy"), { code: "OFFLINE_NO_COPY" })
  // An OPRF account's password keys need the relay's evaluation (SPEC §16): no offline opening.
  if (found.kdf.oprf !== undefined) {
    throw Object.assign(new Error("the password needs the node"), { code: "OFFLINE_OPRF" })
  }
  const { kdf: kdfWorker, account } = crypto()
  const keys = await kdfWorker.derivePasswordKeys(
    password,
    fromBase64url(found.kdf.salt),
    found.kdf.params,
    proxy(onProgress),
  )
  let opened: { identity: string; recipient: string }
  try {
    opened = await account.openAccountIdentity(found.sealedIdentity, keys.identity)
  } catch {
    throw new RelayClientError(401, "WRONG_CREDENTIALS", "the password does not open the copy")
  }
  return {
    session: "",
    stage: "full",
    userId: found.userId,
    username: found.username,
    name: found.name,
    role: found.role,
    identity: opened.identity,
    recipient: opened.recipient,
    offline: true,
  }
}

/**
 * Opens a tip: fetched and kept when online; the kept copy when `offline` or when the fetch
 * fails on the network.
 * Online, the directory is checked against the pinned manifest, its expiry and the highest
 * version seen (a rolled-back or expired one is refused before the tip is shown); offline, the
 * kept copy against the pin and its expiry.
 * @throws RelayClientError `NOT_FOUND`; Error code `OFFLINE_NO_TIP` offline without a copy;
 * CryptoError `WRONG_KEY`, `TAMPERED`; TrustError; DirectoryError `DIRECTORY_STALE`,
 * `DIRECTORY_EXPIRED`.
 */
export async function openTipKept(
  state: StaffSessionState,
  tipId: string,
  identity: string,
): Promise<OpenTip> {
  let copy: CachedTip | undefined
  let fresh = false
  if (!state.offline) {
    try {
      // The node manifest travels with the tip; the directory needs the tip's context first.
      const [read, node] = await Promise.all([
        relay.call(tips.getTip, { session: state.session, params: { tipId } }),
        relay.call(accounts.getNode),
      ])
      const contextId = read.tip.contextId
      const [signed, manifest] = await Promise.all([
        relay.call(contexts.getContextDirectory, { params: { contextId } }),
        // The directory signer comes from the manifest checked against this browser's pin,
        // never from the unsigned `signingPublicKey` beside it.
        trustManifest(node.manifest),
      ])
      copy = {
        userId: state.userId,
        read,
        directory: { signed, nodeKey: manifest.directorySigner },
        savedAt: Date.now(),
      }
      fresh = true
      await (await db()).put("tips", copy, `${state.userId}/${tipId}`).catch(() => undefined)
    } catch (error) {
      if (errorCode(error) !== "NETWORK") throw error
    }
  }
  copy ??= await (await db()).get("tips", `${state.userId}/${tipId}`).catch(() => undefined)
  if (!copy)
    throw Object.assign(new Error("no offline copy of the tip"), { code: "OFFLINE_NO_TIP" })
  const { read, directory } = copy
  const colleagues = directory
    ? await verifyColleagues(read.tip.contextId, directory.signed, directory.nodeKey, fresh)
    : []
  return openRead(read, identity, colleagues)
}

/** The tips kept for `userId`, newest first, as inbox lines. */
export async function keptTips(userId: string): Promise<TipSummary[]> {
  const kept = await (await db()).getAllFromIndex("tips", "userId", userId).catch(() => [])
  return kept
    .map(({ read }) => ({
      ...read.tip,
      comments: read.comments.length,
      files: read.files.length,
    }))
    .sort((a, b) => b.createdAt - a.createdAt) as TipSummary[]
}

/** Deletes everything this device keeps for staff (accounts and tips). */
export async function forgetDevice(): Promise<void> {
  const open = opening
  opening = undefined
  if (open) (await open.catch(() => undefined))?.close()
  await deleteDB(STAFF_DB)
}
