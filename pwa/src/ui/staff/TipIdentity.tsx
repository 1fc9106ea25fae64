import type { Json } from "@sotto/crypto-core"
import { createResource, createSignal, For, type JSX, Show } from "solid-js"
import { formatTime } from "../../lib/format.js"
import {
  loadTipIdentity,
  openTipIdentity,
  requestTipIdentity,
  type TipIdentityView,
} from "../../lib/staffIdentity.js"
import type { OpenTip } from "../../lib/staffTips.js"
import { ErrorNotice } from "../Notice.jsx"

const STATE: Record<string, string> = {
  pending: "waiting for a custodian",
  approved: "approved",
  refused: "refused",
}

/**
 * The whistleblower's identity section of a tip: hidden behind the channel's custodians. A
 * recipient reads it once a custodian approved their request, else asks with a written reason;
 * every request and decision is listed (the audit log has them too).
 */
export function TipIdentity(props: {
  session: string
  reader: string
  tip: OpenTip
  nameOf: (userId: string) => string
}): JSX.Element {
  const [view, { refetch }] = createResource(
    () => ({ session: props.session, tipId: props.tip.tip.id }),
    (src) => loadTipIdentity(src.session, src.tipId),
  )
  const [reason, setReason] = createSignal("")
  const [error, setError] = createSignal<unknown>()
  const [busy, setBusy] = createSignal(false)
  const current = () => (view.error ? undefined : view.latest)

  const ask = async (e: Event) => {
    e.preventDefault()
    setError(undefined)
    if (reason().trim().length === 0) {
      setError(
        new Error("Write why you need the identity: the custodian reads it before deciding."),
      )
      return
    }
    setBusy(true)
    try {
      await requestTipIdentity(props.session, props.tip.tip.id, props.tip.tip.contextId, reason())
      setReason("")
      await refetch()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Show when={current()}>
      {(v) => (
        <section class="card" aria-labelledby="identity-h" data-identity>
          <h2 id="identity-h">Whistleblower's identity</h2>
          <Show when={v().wrap} fallback={<Hidden />}>
            <Opened view={v()} reader={props.reader} tip={props.tip} />
          </Show>
          <Show
            when={
              !v().wrap &&
              !v().requests.some((r) => r.requester === props.reader && r.state === "pending")
            }
          >
            <form onSubmit={ask} class="identity-request" aria-label="Ask for the identity">
              <div class="field">
                <label for="identity-reason">Why you need it (read by the custodian)</label>
                <textarea
                  id="identity-reason"
                  name="identity-reason"
                  maxLength={2000}
                  value={reason()}
                  onInput={(e) => setReason(e.currentTarget.value)}
                />
              </div>
              <button type="submit" disabled={busy()}>
                Ask a custodian for the identity
              </button>
            </form>
          </Show>
          <ErrorNotice error={error()} />
          <Show when={v().requests.length > 0}>
            <h3>Requests</h3>
            <ul class="plain" aria-label="Identity requests">
              <For each={v().requests}>
                {(r) => (
                  <li data-request-state={r.state}>
                    {props.nameOf(r.requester)} asked on {formatTime(r.createdAt)}:{" "}
                    {STATE[r.state] ?? r.state}
                    <Show when={r.decidedBy && r.decidedAt}>
                      {" "}
                      by a custodian on {formatTime(r.decidedAt ?? 0)}
                    </Show>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </section>
      )}
    </Show>
  )
}

function Hidden(): JSX.Element {
  return (
    <p data-identity-hidden>
      The whistleblower stated their identity. It is sealed for the channel's custodians: you can
      read it only after a custodian approves your request.
    </p>
  )
}

function Opened(props: { view: TipIdentityView; reader: string; tip: OpenTip }): JSX.Element {
  const [answers] = createResource(
    () => props.view,
    (v) => openTipIdentity(v, props.reader, props.tip.key.recipient),
  )
  return (
    <>
      <ErrorNotice error={answers.error} />
      <Show when={!answers.error && answers.latest}>
        {(a) => (
          <dl class="kv" data-identity-open>
            <For each={Object.entries(a().answers)}>
              {([id, value]) => (
                <>
                  <dt>{a().labels[id] ?? id}</dt>
                  <dd>{show(value)}</dd>
                </>
              )}
            </For>
          </dl>
        )}
      </Show>
    </>
  )
}

function show(value: Json): string {
  if (Array.isArray(value)) return value.join(", ")
  if (typeof value === "boolean") return value ? "Yes" : "No"
  return value === null ? "—" : String(value)
}
