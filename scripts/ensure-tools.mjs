#!/usr/bin/env node
// First step of `npm test`: the interop and browser tests need Debian's real tools, never stand-ins.
// As root, missing packages are installed with apt-get; otherwise we say what to install and stop.
import { execFileSync, spawnSync } from "node:child_process"

/** command → Debian package that provides it */
const TOOLS = {
  age: "age",
  "age-keygen": "age",
  gpg: "gnupg",
  oathtool: "oathtool",
  chromium: "chromium",
}

const has = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0
const missing = [
  ...new Set(
    Object.entries(TOOLS)
      .filter(([cmd]) => !has(cmd))
      .map(([, pkg]) => pkg),
  ),
]

if (missing.length === 0) process.exit(0)

if (process.getuid?.() !== 0) {
  console.error(`npm test needs these Debian packages: ${missing.join(" ")}`)
  console.error(`Install them with: sudo apt-get install -y ${missing.join(" ")}`)
  process.exit(1)
}

console.log(`Installing missing Debian packages: ${missing.join(" ")}`)
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" }
execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env })
execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], {
  stdio: "inherit",
  env,
})

const still = Object.keys(TOOLS).filter((cmd) => !has(cmd))
if (still.length > 0) {
  console.error(`Still missing after apt-get: ${still.join(" ")}`)
  process.exit(1)
}
