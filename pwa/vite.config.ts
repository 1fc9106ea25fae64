import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { brotliCompressSync, gzipSync } from "node:zlib"
import { defineConfig, type Plugin } from "vite"
import solid from "vite-plugin-solid"

const root = fileURLToPath(new URL(".", import.meta.url))

// The relay serves `name.br` / `name.gz` siblings when the browser accepts them, so every text
// asset is compressed once at build time instead of on each request.
function precompress(): Plugin {
  let outDir = join(root, "dist")
  return {
    name: "sotto-precompress",
    apply: "build",
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir)
    },
    closeBundle() {
      const walk = (dir: string): string[] =>
        readdirSync(dir).flatMap((name) => {
          const full = join(dir, name)
          return statSync(full).isDirectory() ? walk(full) : [full]
        })
      for (const file of walk(outDir)) {
        if (!/\.(js|css|html|json|svg|webmanifest|txt)$/.test(file)) continue
        const body = readFileSync(file)
        writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }))
        writeFileSync(`${file}.br`, brotliCompressSync(body))
      }
    },
  }
}

export default defineConfig({
  root,
  plugins: [solid(), precompress()],
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
