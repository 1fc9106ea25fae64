import type { ZxcvbnFactory } from "@zxcvbn-ts/core"

// Password strength with zxcvbn-ts. Its dictionaries weigh about 800 KB, so they are imported
// only when a staff page first checks a password: never in the whistleblower's load.

/** The score staff passwords need (0–4); 4 is shown as strong. */
export const MIN_SCORE = 3

/** What zxcvbn thinks of a password. */
export interface Strength {
  /** 0 (guessable in seconds) to 4 (very hard to guess). */
  readonly score: 0 | 1 | 2 | 3 | 4
  /** Why it is weak, in words, when zxcvbn says. */
  readonly warning?: string
  /** What would make it stronger. */
  readonly suggestions: readonly string[]
  /** Whether it meets {@link MIN_SCORE}. */
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
 * against it. Loads zxcvbn on first use. @throws when the zxcvbn chunk cannot be fetched.
 */
export async function ratePassword(
  password: string,
  userInputs: readonly string[] = [],
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
    acceptable: score >= MIN_SCORE,
  }
}

/** Words for a score: 0–1 very weak, 2 weak, 3 good enough, 4 strong. */
export function scoreLabel(score: number): string {
  return ["Very weak", "Very weak", "Weak", "Good", "Strong"][score] ?? "Very weak"
}
