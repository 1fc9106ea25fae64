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
    // The one chunk over vite's 500 kB is zxcvbn's English dictionary (1.2 MB), loaded lazily by
    // the password pages only; `npm run bench -- bundle` guards what a first visit loads.
    chunkSizeWarningLimit: 1300,
    // dist/.vite/manifest.json: the chunk graph that `npm run bench` weighs (whistleblower entry).
    manifest: true,
    rolldownOptions: {
      // `npm start` prints one build line (scripts/build-pwa.mjs), not a plugin timing table.
      checks: { pluginTimings: false },
      output: {
        // Small modules shared by several lazy routes are copied into each rather than split into
        // chunks of their own: on Tor a request costs as much as kilobytes, so the report form
        // arrives as one route chunk instead of a dozen (issue 14, `npm run bench -- bundle`).
        // What the entry needs at once is one chunk rather than a runtime, a framework and a
        // shared-modules chunk.
        codeSplitting: {
          groups: [{ name: "app", tags: ["$initial"] }],
          experimentalInlineCommonChunks: { maxSize: 32_000 },
        },
      },
    },
  },
  // `npm run dev --workspace pwa` talks to a relay started with `npm start`.
  server: { proxy: { "/api": { target: "http://localhost:8080", ws: true } } },
})
