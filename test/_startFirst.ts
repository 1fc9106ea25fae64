import { BaseSequencer, type TestSpecification } from "vitest/node"

// vitest starts the files it has no timings for (every file on a fresh CI clone) largest first.
// These files are small but long: builds, clones, relay clusters. Started last, one of them alone
// would keep the run going for a minute after every other worker has finished.

/** Files (paths from the repo root) started before all others, in this order. */
export const START_FIRST: readonly string[] = [
  "test/e2e/pwaUpdate.test.ts",
  "test/build/reproducible.test.ts",
  "test/cluster/clusterBrowser.test.ts",
  "test/cluster/cluster.test.ts",
  "test/interop/boundedMemory.test.ts",
]

/** vitest's order (slowest or largest first), with {@link START_FIRST} moved ahead. */
export class StartFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    const rank = (spec: TestSpecification) => {
      const i = START_FIRST.findIndex((path) => spec.moduleId.endsWith(`/${path}`))
      return i < 0 ? START_FIRST.length : i
    }
    // Array.prototype.sort is stable: the rest keep vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b))
  }
}
