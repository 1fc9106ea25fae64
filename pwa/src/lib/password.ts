import { accounts } from "@sotto/protocol"
import { relay } from "./api.js"
import type { RateAnswer, RateRequest } from "./passwordWorker.js"

// Password strength with zxcvbn-ts. Its dictionaries weigh about 800 KB, so they are imported
// only when a staff page first checks a password: never in the whistleblower's load. They load
// and run in their own worker (passwordWorker.ts) so the page stays responsive.

/** The lowest score staff passwords ever need (0–4); the node's policy may ask for 4. */
export const MIN_SCORE = 3

/** What new staff passwords must meet: the node's policy (GET /node), never below the floor. */
export interface PasswordPolicy {
  readonly minScore: 3 | 4
  readonly minLength: number
}

/** The policy of a node that has none yet (setup) or cannot be asked. */
export const DEFAULT_POLICY: PasswordPolicy = { minScore: 3, minLength: 8 }

/**
 * The node's password policy, asked afresh (an admin may just have changed it); the default
 * before setup or when the relay cannot be reached. Never below {@link MIN_SCORE}.
 */
export async function loadPasswordPolicy(): Promise<PasswordPolicy> {
  try {
    const { passwordPolicy } = await relay.call(accounts.getNode)
    return {
      minScore: passwordPolicy.minScore >= 4 ? 4 : 3,
      minLength: Math.max(passwordPolicy.minLength, 8),
    }
  } catch {
    return DEFAULT_POLICY
  }
}

/** What zxcvbn thinks of a password. */
export interface Strength {
  /** 0 (guessable in seconds) to 4 (very hard to guess). */
  readonly score: 0 | 1 | 2 | 3 | 4
  /** Why it is weak, in words, when zxcvbn says. */
  readonly warning?: string
  /** What would make it stronger. */
  readonly suggestions: readonly string[]
  /** Whether it meets the policy it was rated against (score and length). */
  readonly acceptable: boolean
}

let worker: Worker | undefined
let nextId = 0
const pending = new Map<number, (answer: RateAnswer) => void>()

/** The zxcvbn worker, started on first use (its dictionaries load there, off the page's thread). */
function rater(): Worker {
  if (worker) return worker
  const w = new Worker(new URL("./passwordWorker.ts", import.meta.url), { type: "module" })
  w.onmessage = (event: MessageEvent<RateAnswer>) => {
    pending.get(event.data.id)?.(event.data)
    pending.delete(event.data.id)
  }
  // A worker that cannot start answers every waiting rating with the error, and the next one retries.
  w.onerror = (event) => {
    for (const [id, answer] of pending) answer({ id, error: event.message || "worker failed" })
    pending.clear()
    worker = undefined
  }
  worker = w
  return w
}

/**
 * Rates `password`, counting the user's own words (`userInputs`: username, name, node name)
 * against it, and checks it against `policy`. Starts the zxcvbn worker on first use.
 * @throws Error when the zxcvbn worker cannot load its chunks.
 */
export async function ratePassword(
  password: string,
  userInputs: readonly string[] = [],
  policy: PasswordPolicy = DEFAULT_POLICY,
): Promise<Strength> {
  const id = nextId++
  const answer = await new Promise<RateAnswer>((resolve) => {
    pending.set(id, resolve)
    rater().postMessage({
      id,
      password,
      userInputs: userInputs.filter((s) => s.length > 0),
    } satisfies RateRequest)
  })
  if (answer.error !== undefined || answer.score === undefined) {
    throw new Error(`the password checker could not be loaded: ${answer.error ?? "no score"}`)
  }
  const score = answer.score as Strength["score"]
  return {
    score,
    ...(answer.warning ? { warning: answer.warning } : {}),
    suggestions: answer.suggestions ?? [],
    acceptable:
      score >= Math.max(policy.minScore, MIN_SCORE) && password.length >= policy.minLength,
  }
}

/** Words for a score: 0–1 very weak, 2 weak, 3 good enough, 4 strong. */
export function scoreLabel(score: number): string {
  return ["Very weak", "Very weak", "Weak", "Good", "Strong"][score] ?? "Very weak"
}
