import { accounts } from "@sotto/protocol"
import type { ZxcvbnFactory } from "@zxcvbn-ts/core"
import { relay } from "./api.js"

// Password strength with zxcvbn-ts. Its dictionaries weigh about 800 KB, so they are imported
// only when a staff page first checks a password: never in the whistleblower's load.

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

let factory: Promise<ZxcvbnFactory> | undefined

function load(): Promise<ZxcvbnFactory> {
  factory ??= (async () => {
    const [core, common, en] = await Promise.all([
      import("@zxcvbn-ts/core"),
      import("@zxcvbn-ts/language-common"),
      import("@zxcvbn-ts/language-en"),
    ])
    return new core.ZxcvbnFactory({
      translations: en.translations,
      graphs: common.adjacencyGraphs,
      dictionary: { ...common.dictionary, ...en.dictionary },
    })
  })()
  return factory
}

/**
 * Rates `password`, counting the user's own words (`userInputs`: username, name, node name)
 * against it, and checks it against `policy`. Loads zxcvbn on first use.
 * @throws when the zxcvbn chunk cannot be fetched.
 */
export async function ratePassword(
  password: string,
  userInputs: readonly string[] = [],
  policy: PasswordPolicy = DEFAULT_POLICY,
): Promise<Strength> {
  const zxcvbn = await load()
  const result = zxcvbn.check(
    password,
    userInputs.filter((s) => s.length > 0),
  )
  const score = result.score as Strength["score"]
  return {
    score,
    ...(result.feedback.warning ? { warning: result.feedback.warning } : {}),
    suggestions: result.feedback.suggestions,
    acceptable:
      score >= Math.max(policy.minScore, MIN_SCORE) && password.length >= policy.minLength,
  }
}

/** Words for a score: 0–1 very weak, 2 weak, 3 good enough, 4 strong. */
export function scoreLabel(score: number): string {
  return ["Very weak", "Very weak", "Weak", "Good", "Strong"][score] ?? "Very weak"
}
