import { A, useNavigate } from "@solidjs/router"
import { createEffect, createResource, For, type JSX, Show } from "solid-js"
import { t } from "../../i18n/index.js"
import { loadContexts, loadHealth, loadNode } from "../../lib/api.js"
import { ErrorNotice } from "../../ui/Notice.jsx"
import { NodeFingerprint } from "../../ui/wb/NodeFingerprint.jsx"
import { PendingReports } from "../../ui/wb/PendingReports.jsx"

/** The whistleblower's first screen: where to report, how to come back; setup on a fresh node. */
export default function Landing(): JSX.Element {
  const navigate = useNavigate()
  const [health] = createResource(() => loadHealth())
  // Reading an errored resource throws: offline, health fails and the page must still render
  // (with the error notice), so the sources look at its state first.
  const setUp = () => (health.state === "ready" ? health().setUp : undefined)
  const [node] = createResource(setUp, () => loadNode())
  const [contexts] = createResource(setUp, () => loadContexts())
  createEffect(() => {
    if (setUp() === false) navigate("/setup", { replace: true })
  })
  return (
    <>
      <ErrorNotice error={health.error ?? contexts.error} />
      <Show when={node()}>
        {(n) => (
          <>
            <h1>{t("landing.title", { name: n().name })}</h1>
            <p>{t("landing.intro")}</p>
          </>
        )}
      </Show>
      <Show when={contexts()}>
        {(list) => (
          <section aria-labelledby="channels">
            <h2 id="channels">{t("landing.channels")}</h2>
            <Show when={list().length > 0} fallback={<p>{t("landing.noChannels")}</p>}>
              <ul class="plain">
                <For each={list()}>
                  {(c) => (
                    <li class="card">
                      <h3>{c.name}</h3>
                      <p>{c.description}</p>
                      <A class="button" href={`/report/${encodeURIComponent(c.id)}`}>
                        {t("landing.reportTo", { name: c.name })}
                      </A>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </section>
        )}
      </Show>
      <PendingReports />
      <Show when={node()}>{(n) => <NodeFingerprint manifest={n().manifest} />}</Show>
      <section class="card" aria-labelledby="back">
        <h2 id="back">{t("landing.backTitle")}</h2>
        <p>{t("landing.backText")}</p>
        <A class="button secondary" href="/return">
          {t("landing.login")}
        </A>
      </section>
      <p>
        <A href="/staff">{t("landing.staff")}</A> · <A href="/verify-code">{t("landing.verify")}</A>
      </p>
    </>
  )
}
