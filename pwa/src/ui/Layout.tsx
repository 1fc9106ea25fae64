import { A, type RouteSectionProps, useLocation } from "@solidjs/router"
import { createEffect, createResource, type JSX, onCleanup, Show, Suspense } from "solid-js"
import { loadNode } from "../lib/api.js"
import { markAppReady } from "../lib/appReady.js"
import { codeManifest, shortHash } from "../lib/codeIntegrity.js"
import { onNodeChanged } from "../lib/nodeInfo.js"

/**
 * The frame of every page: the node's logo text and name, the page, and a footer with the app
 * version and the hash of the code manifest the service worker was installed with. The header follows changes made in the admin console (nodeInfo.ts).
 */
export function Layout(props: RouteSectionProps): JSX.Element {
  const [node, { mutate }] = createResource(() => loadNode().catch(() => undefined))
  onCleanup(onNodeChanged((fresh) => mutate(fresh)))
  const location = useLocation()
  // The landing page and the report form say when they are usable (lib/appReady.ts); any other
  // page is once shown.
  createEffect(() => {
    const path = location.pathname
    if (path !== "/" && !path.startsWith("/report/")) markAppReady()
  })
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <A href="/" class="brand">
          <Show when={node()?.logoText}>
            {(text) => (
              <span class="logo-text" data-logo-text>
                {text()}
              </span>
            )}
          </Show>
          {node()?.name ?? "Sotto"}
        </A>
      </header>
      <main id="main" tabindex="-1">
        <Suspense fallback={<p aria-live="polite">Loading…</p>}>{props.children}</Suspense>
      </main>
      <footer class="foot">
        <span>Sotto · everything you type is encrypted in this browser</span>
        <span>build {import.meta.env.VITE_BUILD ?? "dev"}</span>
        <Show when={codeManifest()}>
          {(code) => (
            <span data-code-manifest>
              {code().signed ? "" : "unsigned development build · "}
              <Show when={code().hash}>{(hash) => <>code manifest {shortHash(hash())} · </>}</Show>
              <A href="/verify-code">check it</A>
            </span>
          )}
        </Show>
      </footer>
    </>
  )
}
