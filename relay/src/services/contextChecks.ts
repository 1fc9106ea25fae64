import { type SignedKeyDirectory, verifyDirectory } from "@sotto/crypto-core"
import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import { requireNode } from "./nodeSettings.js"
import type { QuestionField, UserRecord } from "./records.js"

// The checks a context must pass beyond its schema: a consistent questionnaire, recipients who can
// read, and a key directory the node signed for exactly those recipients and keys.

const DIRECTORY = "body.directory.directory"

/**
 * Refuses duplicate field ids, choice fields without options and other fields with options.
 * @throws RelayError VALIDATION naming the field.
 */
export function checkQuestionnaire(
  questions: readonly QuestionField[],
  custodians: number = 0,
): void {
  const seen = new Set<string>()
  questions.forEach((q, i) => {
    const at = `body.questionnaire.${i}`
    if (q.identity && custodians === 0) {
      // Nobody could ever be asked to release it: the answer would be sealed to no one.
      throw new RelayError(
        "VALIDATION",
        `"${at}.identity" needs a custodian on this channel: add one before marking identity fields`,
        `${at}.identity`,
      )
    }
    if (q.identity && q.type === "file") {
      throw new RelayError(
        "VALIDATION",
        `"${at}.identity" cannot be a file field`,
        `${at}.identity`,
      )
    }
    if (seen.has(q.id))
      throw new RelayError("VALIDATION", `"${at}.id" repeats "${q.id}"`, `${at}.id`)
    seen.add(q.id)
    const choice = q.type === "select" || q.type === "multiselect"
    if (choice && !q.options) {
      throw new RelayError(
        "VALIDATION",
        `"${at}.options" is required for ${q.type}`,
        `${at}.options`,
      )
    }
    if (!choice && q.options) {
      throw new RelayError(
        "VALIDATION",
        `"${at}.options" is only for select fields`,
        `${at}.options`,
      )
    }
  })
}

/**
 * Loads the recipients: each must exist, be enabled and have a public key (made at first login).
 * @throws RelayError VALIDATION naming `body.recipients.<i>` otherwise.
 */
export function loadRecipients(
  ctx: RelayContext,
  ids: readonly string[],
): Promise<Map<string, UserRecord>> {
  return loadKeyholders(ctx, ids, "recipients", () => undefined)
}

/**
 * Loads the custodians: each must exist, have the custodian role, be enabled and have a key.
 * @throws RelayError VALIDATION naming `body.custodians.<i>` otherwise.
 */
export function loadCustodians(
  ctx: RelayContext,
  ids: readonly string[],
): Promise<Map<string, UserRecord>> {
  return loadKeyholders(ctx, ids, "custodians", (user) =>
    user.role !== "custodian" ? "does not have the custodian role" : undefined,
  )
}

// Each id must name an existing user that passes `roleProblem`, is enabled and has a key; the
// first that does not is refused naming `body.<list>.<i>`.
async function loadKeyholders(
  ctx: RelayContext,
  ids: readonly string[],
  list: "recipients" | "custodians",
  roleProblem: (user: UserRecord) => string | undefined,
): Promise<Map<string, UserRecord>> {
  const users = new Map<string, UserRecord>()
  for (const [i, id] of ids.entries()) {
    const user = await ctx.store.get<UserRecord>("users", `u/${id}`)
    const problem = !user
      ? "is not a user"
      : (roleProblem(user) ??
        (user.disabled
          ? "is disabled"
          : !user.publicKey
            ? "has no key yet (they must log in once)"
            : undefined))
    if (problem || !user) {
      const field = `body.${list}.${i}`
      throw new RelayError("VALIDATION", `"${field}" ${problem ?? "is invalid"}`, field)
    }
    users.set(id, user)
  }
  return users
}

/**
 * Checks a signed directory for `contextId`: it verifies with the node signing key, names this
 * context, lists exactly `recipients` and, for each, that user's public key; and it is not older
 * than `previous` (a rollback to a stale directory).
 * @throws RelayError BAD_DIRECTORY naming the part that is wrong, NOT_SET_UP before setup.
 */
export async function checkDirectory(
  ctx: RelayContext,
  contextId: string,
  recipients: ReadonlyMap<string, UserRecord>,
  signed: SignedKeyDirectory,
  previous?: SignedKeyDirectory,
  custodians: ReadonlyMap<string, UserRecord> = new Map(),
): Promise<void> {
  const node = await requireNode(ctx.store)
  try {
    verifyDirectory(signed, node.signingPublicKey, { now: ctx.clock.now() })
  } catch (e) {
    const code = (e as { code?: string }).code
    if (code === "EXPIRED") {
      throw new RelayError("BAD_DIRECTORY", "the directory has expired", `${DIRECTORY}.expiresAt`)
    }
    const otherKey = code === "KEY_MISMATCH"
    throw new RelayError(
      "BAD_DIRECTORY",
      otherKey
        ? "the directory is signed by another key than this node's signing key"
        : "the directory's signature does not verify",
      otherKey ? "body.directory.signer" : "body.directory.signature",
    )
  }
  const directory = signed.directory
  if (directory.context !== contextId) {
    throw new RelayError(
      "BAD_DIRECTORY",
      `the directory is for context "${directory.context}", not "${contextId}"`,
      `${DIRECTORY}.context`,
    )
  }
  const listed = directory.recipients.map((e) => e.id)
  if (listed.length !== recipients.size || !listed.every((id) => recipients.has(id))) {
    throw new RelayError(
      "BAD_DIRECTORY",
      "the directory must list exactly the context's recipients",
      `${DIRECTORY}.recipients`,
    )
  }
  directory.recipients.forEach((entry, i) => {
    if (recipients.get(entry.id)?.publicKey !== entry.recipient) {
      const field = `${DIRECTORY}.recipients.${i}.recipient`
      throw new RelayError("BAD_DIRECTORY", `"${field}" is not that user's public key`, field)
    }
    if (entry.signer !== undefined && recipients.get(entry.id)?.signer !== entry.signer) {
      const field = `${DIRECTORY}.recipients.${i}.signer`
      throw new RelayError("BAD_DIRECTORY", `"${field}" is not that user's signing key`, field)
    }
  })
  const keepers = directory.custodians ?? []
  if (keepers.length !== custodians.size || !keepers.every((e) => custodians.has(e.id))) {
    throw new RelayError(
      "BAD_DIRECTORY",
      "the directory must list exactly the context's custodians",
      `${DIRECTORY}.custodians`,
    )
  }
  keepers.forEach((entry, i) => {
    if (custodians.get(entry.id)?.publicKey !== entry.recipient) {
      const field = `${DIRECTORY}.custodians.${i}.recipient`
      throw new RelayError("BAD_DIRECTORY", `"${field}" is not that user's public key`, field)
    }
  })
  // Clients refuse a lower version than they saw; an honest relay refuses one up front.
  if (previous && directory.version <= previous.directory.version) {
    throw new RelayError(
      "BAD_DIRECTORY",
      `the directory's version must be above ${previous.directory.version}, the one it would replace`,
      `${DIRECTORY}.version`,
    )
  }
}
