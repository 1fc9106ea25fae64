import { fileURLToPath } from "node:url"
import { defineConfig } from "vite"
import solid from "vite-plugin-solid"
import { installablePwa, protocolTable } from "./pwaPlugin.js"

const root = fileURLToPath(new URL(".", import.meta.url))

export default defineConfig({
  root,
  // protocolTable: the browser gets route tables, not TypeBox schemas; installablePwa: icons,
  // manifest, service worker and precompressed siblings (pwaPlugin.ts).
  plugins: [protocolTable(root), solid(), installablePwa(root)],
  worker: { format: "es" },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    // dist/.vite/manifest.json: the chunk graph that `npm run bench` weighs (whistleblower entry).
    manifest: true,
  },
  // `npm run dev --workspace pwa` talks to a relay started with `npm start`.
  server: { proxy: { "/api": { target: "http://localhost:8080", ws: true } } },
})
