#!/usr/bin/env node
// Runs the TypeScript CLI through tsx (crypto-core ships TypeScript sources).
import { register } from "tsx/esm/api"

register()
await import("../src/cli.ts")
