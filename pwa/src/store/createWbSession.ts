import { createContext, createSignal, type JSX, useContext } from "solid-js"
import { createComponent } from "solid-js/web"

// The whistleblower's session: in memory only (never localStorage), gone when the tab closes.

/** What the whistleblower's tab knows while they are in. */
export interface WbSessionState {
  /** The `X-Session` token of the receipt session ("" while the report waits in the outbox). */
  readonly session: string
  /** The tip's id ("" while the report waits in the outbox). */
  readonly tipId: string
  /** The outbox id of a report saved on this device and not yet confirmed by the relay. */
  readonly outboxId?: string
  /** The tip's private key string, opened from the whistleblower's wrap. */
  readonly tipIdentity: string
  /** The tip's public key: what new comments and files are sealed to. */
  readonly tipRecipient: string
  /** The receipt identity: the whistleblower's signing key is derived from it. Memory only. */
  readonly receiptIdentity: string
  /** The receipt, only right after submitting (for the receipt page); never stored. */
  readonly receipt?: string
  readonly expiresAt?: number
  /** What the receipt page's "proof of submission" lists, right after submitting. */
  readonly proof?: SubmissionProof
  /** Names of files that could not be sent with the report (they can be added later). */
  readonly unsentFiles?: readonly string[]
}

/** Public facts about a submission, for a proof the whistleblower may download and keep. */
export interface SubmissionProof {
  readonly node: string
  readonly contextId: string
  readonly contextName: string
  readonly tipId: string
  /** ISO time of the submission. */
  readonly submittedAt: string
  readonly files: readonly {
    readonly name: string
    readonly size: number
    readonly sha256: string
  }[]
}

/** The whistleblower session store. */
export interface WbSessionStore {
  readonly state: () => WbSessionState | undefined
  set(state: WbSessionState | undefined): void
  /** Changes some fields of the current session; nothing happens when there is none. */
  update(patch: Partial<WbSessionState>): void
  /** Forgets the session and the receipt. */
  clear(): void
}

/** Makes a whistleblower session store (one per tab). */
export function createWbSession(): WbSessionStore {
  const [state, setState] = createSignal<WbSessionState | undefined>()
  return {
    state,
    set: (next) => setState(next),
    update: (patch) => setState((current) => (current ? { ...current, ...patch } : current)),
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
