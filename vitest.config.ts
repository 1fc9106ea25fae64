import { Socket } from "node:net"
import { availableParallelism } from "node:os"
import { defineConfig } from "vitest/config"
import { StartFirstSequencer } from "./test/_startFirst.js"

// The whole relay suite runs a second time with the store and the coordinator on PostgreSQL
// (SOTTO_TEST_STORE_URL; test/relay/_harness.ts gives every relay its own schema, drops it after,
// and throws if a relay came up on LevelDB). tipWipe.test.ts scans the schema's rows there instead
// of LevelDB's files, chunkMigration.test.ts plants its format-2 chunks in the schema. Left out:
// integrity.test.ts, which checks the static build's signed manifest and starts a relay outside
// the harness whose store it never reads (a PostgreSQL run would test nothing more).
const ON_POSTGRES = ["test/relay/*.test.ts"]
const NOT_ON_POSTGRES = ["test/relay/integrity.test.ts"]
// Files that run one at a time after all the others: two read a relay's resident memory, one a
// UI thread's frame gaps, one a 500 ms wall-clock bound; a busy neighbour would skew each. (Heap
// checks read the test's own process; the other wall-clock bounds are seconds for milliseconds.)
const ALONE = [
  "test/abuse/staticMemory.test.ts",
  "test/abuse/unauthenticatedBodies.test.ts",
  "test/e2e/fullFlow.test.ts",
  "crypto-core/src/pow.test.ts",
]
/**
 * Test files run at once. Most of a file's time is spent waiting (on Chromium, child processes,
 * sockets, timers), so one worker more than the cores keeps them busy; SOTTO_TEST_WORKERS overrides.
 */
const WORKERS = Number(process.env.SOTTO_TEST_WORKERS) || availableParallelism() + 1
const PG_URL = process.env.SOTTO_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test"

// One runner for the whole repository: unit tests sit beside the code, cross-package tests in test/.
export default defineConfig(async () => {
  const pgUp = await answers(PG_URL)
  if (!pgUp) {
    if (process.env.CI === "true") throw new Error(`PostgreSQL is not answering at ${PG_URL}`)
    console.warn(`SKIPPED: the relay suite on PostgreSQL needs a server at ${PG_URL}`)
  }
  const shared = {
    exclude: ["**/node_modules/**", "**/.tsbuild/**", "**/dist/**"],
    pool: "forks" as const,
    maxWorkers: WORKERS,
    // The bounded-memory tests read heap figures after an explicit collection.
    execArgv: ["--expose-gc"],
    testTimeout: 120_000,
    // expect.poll waits for the page or relay to catch up; 1 s (vitest's default) fails on a
    // loaded machine, and a longer wait only delays a failure.
    expect: { poll: { timeout: 15_000 } },
    hookTimeout: 120_000,
  }
  return {
    test: {
      reporters: ["default"],
      sequence: { sequencer: StartFirstSequencer },
      projects: [
        {
          test: {
            ...shared,
            name: "all",
            include: ["**/*.test.ts"],
            exclude: [...shared.exclude, ...ALONE],
          },
        },
        // fileParallelism: false puts these in vitest's sequential group, run after the rest.
        { test: { ...shared, name: "alone", include: ALONE, fileParallelism: false } },
        ...(pgUp
          ? [
              {
                test: {
                  ...shared,
                  name: "relay on PostgreSQL",
                  include: ON_POSTGRES,
                  exclude: [...shared.exclude, ...NOT_ON_POSTGRES],
                  env: { SOTTO_TEST_STORE_URL: PG_URL },
                },
              },
            ]
          : []),
      ],
    },
  }
})

/** Whether something accepts TCP connections at the URL's host and port. */
function answers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve) => {
    const socket = new Socket()
    const done = (up: boolean) => {
      socket.destroy()
      resolve(up)
    }
    socket.setTimeout(2000)
    socket.once("connect", () => done(true))
    socket.once("error", () => done(false))
    socket.once("timeout", () => done(false))
    socket.connect(Number(port || 5432), hostname)
  })
}
