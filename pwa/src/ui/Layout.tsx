import { A, type RouteSectionProps, useLocation } from "@solidjs/router"
import { createEffect, createResource, type JSX, onCleanup, Show, Suspense } from "solid-js"
import { applyNodeLanguages, t } from "../i18n/index.js"
import { loadNode } from "../lib/api.js"
import { markAppReady } from "../lib/appReady.js"
import { codeManifest, shortHash } from "../lib/codeIntegrity.js"
import { onNodeChanged } from "../lib/nodeInfo.js"
import { LanguageSwitcher } from "./LanguageSwitcher.jsx"

/**
 * The frame of every page: the node's logo text and name, the page, and a footer with the app
 * version and the hash of the code manifest the service worker was installed with. The header follows changes made in the admin console (nodeInfo.ts).
 */
export function Layout(props: RouteSectionProps): JSX.Element {
  const [node, { mutate }] = createResource(() => loadNode().catch(() => undefined))
  onCleanup(onNodeChanged((fresh) => mutate(fresh)))
  // The node decides which languages whistleblowers may choose from.
  createEffect(() => {
    const languages = node()?.languages
    if (languages) applyNodeLanguages(languages)
  })
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
        {t("layout.skip")}
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
        <LanguageSwitcher />
      </header>
      <main id="main" tabindex="-1">
        <Suspense fallback={<p aria-live="polite">{t("layout.loading")}</p>}>
          {props.children}
        </Suspense>
      </main>
      <footer class="foot">
        <span>{t("layout.footer")}</span>
        <span>{t("layout.build", { build: import.meta.env.VITE_BUILD ?? "dev" })}</span>
        <Show when={codeManifest()}>
          {(code) => (
            <span data-code-manifest>
              {code().signed ? "" : `${t("layout.unsigned")} · `}
              <Show when={code().hash}>
                {(hash) => <>{t("layout.manifest", { hash: shortHash(hash()) })} · </>}
              </Show>
              <A href="/verify-code">{t("layout.check")}</A>
            </span>
          )}
        </Show>
      </footer>
    </>
  )
}
