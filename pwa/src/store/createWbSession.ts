import { createContext, createSignal, type JSX, useContext } from "solid-js"
import { createComponent } from "solid-js/web"

// The whistleblower's session: in memory only (never localStorage), gone when the tab closes.

/** What the whistleblower's tab knows while they are in. */
export interface WbSessionState {
  /** The `X-Session` token of the receipt session. */
  readonly session: string
  readonly tipId: string
  /** The tip's private key string, opened from the whistleblower's wrap. */
  readonly tipIdentity: string
  /** The receipt, only right after submitting (for the receipt page); never stored. */
  readonly receipt?: string
  readonly expiresAt?: number
}

/** The whistleblower session store. */
export interface WbSessionStore {
  readonly state: () => WbSessionState | undefined
  set(state: WbSessionState | undefined): void
  /** Forgets the session and the receipt. */
  clear(): void
}

/** Makes a whistleblower session store (one per tab). */
export function createWbSession(): WbSessionStore {
  const [state, setState] = createSignal<WbSessionState | undefined>()
  return {
    state,
    set: (next) => setState(next),
    clear: () => setState(undefined),
  }
}

const WbContext = createContext<WbSessionStore>()

/** Provides one {@link createWbSession} store to the tree. */
export function WbProvider(props: { children: JSX.Element }): JSX.Element {
  const store = createWbSession()
  return createComponent(WbContext.Provider, {
    value: store,
    get children() {
      return props.children
    },
  })
}

/** The whistleblower session store. @throws Error outside {@link WbProvider}. */
export function useWbSession(): WbSessionStore {
  const store = useContext(WbContext)
  if (!store) throw new Error("useWbSession outside WbProvider")
  return store
}
