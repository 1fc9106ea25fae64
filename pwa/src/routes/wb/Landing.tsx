import { A, useNavigate } from "@solidjs/router"
import { createEffect, createResource, For, type JSX, Show } from "solid-js"
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
            <h1>Report safely to {n().name}</h1>
            <p>
              What you write and the files you add are encrypted in this browser before they leave
              it. Only the people who receive reports can read them; this server cannot.
            </p>
          </>
        )}
      </Show>
      <Show when={contexts()}>
        {(list) => (
          <section aria-labelledby="channels">
            <h2 id="channels">Choose where to report</h2>
            <Show when={list().length > 0} fallback={<p>No reporting channel is open yet.</p>}>
              <ul class="plain">
                <For each={list()}>
                  {(c) => (
                    <li class="card">
                      <h3>{c.name}</h3>
                      <p>{c.description}</p>
                      <A class="button" href={`/report/${encodeURIComponent(c.id)}`}>
                        Report to {c.name}
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
        <h2 id="back">Already reported?</h2>
        <p>Use your receipt to read replies and add information.</p>
        <A class="button secondary" href="/return">
          Log in with your receipt
        </A>
      </section>
      <p>
        <A href="/staff">Staff login</A> · <A href="/verify-code">Check the code you are running</A>
      </p>
    </>
  )
}
