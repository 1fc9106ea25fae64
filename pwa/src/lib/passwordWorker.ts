/// <reference lib="webworker" />
import type { ZxcvbnFactory } from "@zxcvbn-ts/core"

// zxcvbn in its own worker: building its ranked dictionaries and matching a password take a few
// hundred milliseconds, which on the page's thread froze the password forms (test/e2e/fullFlow).
// Not crypto: it only rates how guessable a password is; the password never leaves the browser.

/** A request: rate `password`, counting `userInputs` against it. */
export interface RateRequest {
  readonly id: number
  readonly password: string
  readonly userInputs: readonly string[]
}

/** The answer to the request with the same `id`, or `error` when zxcvbn could not be loaded. */
export interface RateAnswer {
  readonly id: number
  readonly score?: number
  readonly warning?: string
  readonly suggestions?: readonly string[]
  readonly error?: string
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

const scope = self as unknown as DedicatedWorkerGlobalScope
scope.onmessage = async (event: MessageEvent<RateRequest>) => {
  const { id, password, userInputs } = event.data
  try {
    const result = (await load()).check(password, [...userInputs])
    const answer: RateAnswer = {
      id,
      score: result.score,
      ...(result.feedback.warning ? { warning: result.feedback.warning } : {}),
      suggestions: result.feedback.suggestions,
    }
    scope.postMessage(answer)
  } catch (e) {
    scope.postMessage({ id, error: String(e) } satisfies RateAnswer)
  }
}
