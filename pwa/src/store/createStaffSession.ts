import type { SealedAccountIdentity } from "@sotto/crypto-core"
import type { accounts, ResponseOf, Role } from "@sotto/protocol"
import { createContext, createSignal, type JSX, useContext } from "solid-js"
import { createComponent } from "solid-js/web"

// A staff member's session: in memory only, so closing the tab logs out for good. The account
// identity (a private key) lives here only after the password opened it in a worker.

/** What a password-change login keeps until the new password is set (memory only). */
export interface PendingPasswordChange {
  /**
   * The current password's auth key: changePassword re-checks it. Absent after a recovery-key
   * login (lib/staffRecovery.ts): there is no password, and the relay does not ask for one.
   */
  readonly authKey?: Uint8Array
  /**
   * The current password's identity (or, after a recovery-key login, the recovery key), to reseal
   * an existing account identity.
   */
  readonly passwordIdentity: string
  /** The account's sealed identity, when it has one (after an escrow reset). */
  readonly sealedIdentity?: SealedAccountIdentity
}

/** What a logged-in staff member's tab holds. */
export interface StaffSessionState {
  readonly session: string
  /** Where the login stands (`full`, `password-change`, or a second-factor stage). */
  readonly stage: ResponseOf<typeof accounts.login>["stage"]
  readonly userId: string
  readonly username: string
  /** Display name. */
  readonly name: string
  readonly role: Role
  /** The opened account identity (age secret key), once the password opened it. */
  readonly identity?: string
  /** The account's public key (age recipient). */
  readonly recipient?: string
  /** True after a login without a connection (lib/staffCache.ts): `session` is "", read only. */
  readonly offline?: boolean
  /** Only in stages `password-change` and `second-factor` (the verify step opens the identity). */
  readonly pending?: PendingPasswordChange
}

/** The staff session store. */
export interface StaffSessionStore {
  readonly state: () => StaffSessionState | undefined
  set(state: StaffSessionState | undefined): void
  /** Forgets the session, the keys and what was seen. */
  clear(): void
  /** Tip ids opened in this tab (the inbox marks the others as unread). */
  readonly opened: () => ReadonlySet<string>
  markOpened(tipId: string): void
  /** Tip ids that arrived live while this tab was open (marked new in the inbox). */
  readonly arrived: () => ReadonlySet<string>
  markArrived(tipId: string): void
}

/** Makes a staff session store (one per tab). */
export function createStaffSession(): StaffSessionStore {
  const [state, setState] = createSignal<StaffSessionState | undefined>()
  const [opened, setOpened] = createSignal<ReadonlySet<string>>(new Set())
  const [arrived, setArrived] = createSignal<ReadonlySet<string>>(new Set())
  return {
    state,
    set: (next) => setState(next),
    clear: () => {
      setState(undefined)
      setOpened(new Set<string>())
      setArrived(new Set<string>())
    },
    opened,
    markOpened: (tipId) => setOpened((s) => new Set(s).add(tipId)),
    arrived,
    markArrived: (tipId) => setArrived((s) => new Set(s).add(tipId)),
  }
}

const StaffContext = createContext<StaffSessionStore>()

/** Provides one {@link createStaffSession} store to the tree. */
export function StaffProvider(props: { children: JSX.Element }): JSX.Element {
  const store = createStaffSession()
  return createComponent(StaffContext.Provider, {
    value: store,
    get children() {
      return props.children
    },
  })
}

/** The staff session store. @throws Error outside {@link StaffProvider}. */
export function useStaffSession(): StaffSessionStore {
  const store = useContext(StaffContext)
  if (!store) throw new Error("useStaffSession outside StaffProvider")
  return store
}
