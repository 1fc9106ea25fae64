import type { Role } from "@sotto/relay/protocol"
import { createContext, createSignal, type JSX, useContext } from "solid-js"
import { createComponent } from "solid-js/web"

// A staff member's session: in memory only, so closing the tab logs out for good. The account
// identity (a private key) lives here only after the password opened it in a worker.

/** What a logged-in staff member's tab holds. */
export interface StaffSessionState {
  readonly session: string
  readonly stage: "full" | "second-factor" | "password-change"
  readonly userId: string
  readonly username: string
  readonly role: Role
  /** The opened account identity (age secret key), once the password opened it. */
  readonly identity?: string
}

/** The staff session store. */
export interface StaffSessionStore {
  readonly state: () => StaffSessionState | undefined
  set(state: StaffSessionState | undefined): void
  clear(): void
}

/** Makes a staff session store (one per tab). */
export function createStaffSession(): StaffSessionStore {
  const [state, setState] = createSignal<StaffSessionState | undefined>()
  return {
    state,
    set: (next) => setState(next),
    clear: () => setState(undefined),
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
