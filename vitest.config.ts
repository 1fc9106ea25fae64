import { defineConfig } from "vitest/config"

// One runner for the whole repository: unit tests sit beside the code, cross-package tests in test/.
export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/.tsbuild/**", "**/dist/**"],
    pool: "forks",
    // The bounded-memory tests read heap figures after an explicit collection.
    execArgv: ["--expose-gc"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ["default"],
  },
})
