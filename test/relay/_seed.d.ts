import {
  type AgeIdentity,
  type AgeRecipient,
  type DerivedKeys,
  type KdfParams,
  type SignedKeyDirectory,
  type SignedNodeManifest,
  type SigningKeyPair,
  type TipIdentity,
} from "@sotto/crypto-core"
import { type BodyOf, contexts, RelayClientError, type Role } from "@sotto/protocol"
import type { TestRelay } from "./_harness.js"
/** The node's signing key and receipt salt, as the first admin's browser made them. */
export interface SeededNode {
  readonly signing: SigningKeyPair
  readonly receiptSalt: Uint8Array
}
/** A staff member with a full session and (unless made without) an account identity. */
export interface Staff {
  readonly id: string
  readonly name: string
  readonly token: string
  readonly identity: AgeIdentity
  readonly recipient: AgeRecipient
}
/** A submitted tip, with what only the whistleblower's browser knows. */
export interface SubmittedTip {
  readonly tipId: string
  readonly session: string
  readonly expiresAt: number
  readonly tip: TipIdentity
  readonly receipt: string
  readonly keys: DerivedKeys
  readonly answers: {
    readonly what: string
  }
}
/** Writes the node settings with a real signing key; `powDifficulty` small keeps tests fast. */
export declare function seedNode(t: TestRelay, powDifficulty?: number): Promise<SeededNode>
/** Version 1 of a node manifest for seeded settings (no escrow, test KDF bounds). */
export declare function seedManifest(
  signing: SigningKeyPair,
  receipt?: {
    pattern: string
    salt: string
    params: KdfParams
  },
): SignedNodeManifest
/** Writes a staff user with a real account identity (or none) and opens a full session. */
export declare function seedStaff(
  t: TestRelay,
  role?: Role,
  options?: {
    withKey?: boolean
    disabled?: boolean
  },
): Promise<Staff>
/** `N` staff members, as a tuple so that tests can name each one. */
export type StaffOf<N extends number, A extends Staff[] = []> = A["length"] extends N
  ? A
  : StaffOf<N, [...A, Staff]>
/** Seeds the node (see {@link seedNode}), an admin and `count` recipients, each with a session. */
export declare function seedTeam<N extends number>(
  t: TestRelay,
  count: N,
  powDifficulty?: number,
): Promise<{
  node: SeededNode
  admin: Staff
  staff: StaffOf<N>
}>
/** {@link seedTeam}, and a context (made by the admin) whose recipients are the first `inContext`. */
export declare function seedTeamContext<N extends number>(
  t: TestRelay,
  count: N,
  inContext: number,
  powDifficulty?: number,
): Promise<{
  node: SeededNode
  admin: Staff
  staff: StaffOf<N>
  contextId: string
}>
/** Signs a directory of `people` for `contextId` with `signing`, as an admin's browser does. */
export declare function signFor(
  signing: SigningKeyPair,
  contextId: string,
  people: ReadonlyArray<{
    id: string
    name: string
    recipient: string
  }>,
  issuedAt?: string,
  version?: number,
): SignedKeyDirectory
/** A complete, valid createContext body for `recipients`. */
export declare function contextBody(
  node: SeededNode,
  recipients: readonly Staff[],
  id?: string,
): BodyOf<typeof contexts.createContext>
/** Creates a context through the admin route; returns its id. */
export declare function createContext(
  t: TestRelay,
  node: SeededNode,
  admin: Staff,
  recipients: readonly Staff[],
): Promise<string>
/** Fetches a challenge for `route` and solves it bound to `body` (the body without `pow`). */
export declare function solve(
  t: TestRelay,
  route: "submitTip" | "wbLogin",
  body: object,
): Promise<{
  challenge: string
  nonce: number
}>
/** A receipt login body for `authKey` (base64url), paid with a proof bound to it. */
export declare function wbLoginBody(
  t: TestRelay,
  authKey: string,
): Promise<{
  pow: {
    challenge: string
    nonce: number
  }
  authKey: string
}>
/** Draws a receipt and derives its keys with the node's salt (cheap test params). */
export declare function drawReceiptKeys(node: SeededNode): Promise<{
  receipt: string
  keys: DerivedKeys
}>
/** Everything a whistleblower's browser sends to submit a tip to `recipients` (PoW aside). */
export declare function buildSubmission(
  node: SeededNode,
  contextId: string,
  recipients: ReadonlyArray<{
    id: string
    recipient: string
  }>,
): Promise<{
  body: {
    contextId: string
    answers: string
    wbAuthVerifier: string
    wraps: {
      holder: string
      wrap: {
        v: 1
        to: string[]
        age: string
      }
    }[]
    wbWrap: {
      v: 1
      to: string[]
      age: string
    }
  }
  tip: import("@sotto/crypto-core").AccountIdentity
  receipt: string
  keys: DerivedKeys
  answers: {
    what: string
  }
}>
/** Submits a tip to `recipients` with a solved PoW, as the whistleblower's browser does. */
export declare function submit(
  t: TestRelay,
  node: SeededNode,
  contextId: string,
  recipients: readonly Staff[],
): Promise<SubmittedTip>
/** Deep-copies crypto-core's readonly records into the mutable wire shape. */
export declare function wire<T>(value: T): DeepMutable<T>
type DeepMutable<T> = T extends string | number | boolean | null | undefined
  ? T
  : T extends ReadonlyArray<infer U>
    ? DeepMutable<U>[]
    : {
        -readonly [K in keyof T]: DeepMutable<T[K]>
      }
/**
 * What the tip and context routes can write: records of contexts, tips, wraps and objects, keys of
 * chunks, timers and sessions, and the number of audit entries. For "nothing changed" checks.
 */
export declare function storeSnapshot(t: TestRelay): Promise<Record<string, unknown>>
/**
 * The relay error a call failed with.
 * @throws when the call succeeds or fails with something other than a relay error.
 */
export declare function refused(call: Promise<unknown>): Promise<RelayClientError>
