import { A, type RouteSectionProps } from "@solidjs/router"
import { createResource, type JSX, Suspense } from "solid-js"
import { loadNode } from "../lib/api.js"

/** The frame of every page: the node's name, the page, and a footer with the app version. */
export function Layout(props: RouteSectionProps): JSX.Element {
  const [node] = createResource(() => loadNode().catch(() => undefined))
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <A href="/" class="brand">
          {node()?.name ?? "Sotto"}
        </A>
      </header>
      <main id="main" tabindex="-1">
        <Suspense fallback={<p aria-live="polite">Loading…</p>}>{props.children}</Suspense>
      </main>
      <footer class="foot">
        <span>Sotto · everything you type is encrypted in this browser</span>
        <span>build {import.meta.env.VITE_BUILD ?? "dev"}</span>
      </footer>
    </>
  )
}
