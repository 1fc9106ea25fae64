import { createResource, createSignal, For, type JSX, Match, Show, Switch } from "solid-js"
import { type AdminUser, loadUsers } from "../../lib/adminApi.js"
import {
  approveEscrowReset,
  askEscrowReset,
  canComplete,
  completeEscrowReset,
  type EscrowRequestView,
  loadEscrowQuorum,
  refuseEscrowReset,
  splitEscrowKey,
} from "../../lib/adminEscrowQuorum.js"
import type { AdminKeys } from "../../lib/adminKeys.js"
import { formatTime } from "../../lib/format.js"
import { AdminError } from "./AdminShell.jsx"
import { OneTimePassword } from "./OneTimePassword.jsx"
import { ReauthDialog } from "./ReauthDialog.jsx"

type Pending =
  | { kind: "split" }
  | { kind: "ask" }
  | { kind: "approve"; request: EscrowRequestView }
  | { kind: "complete"; request: EscrowRequestView }
  | undefined

/**
 * The escrow settings card (crypto-core SPEC §4.1): says plainly what 1-of-n means, lets an admin
 * split the escrow key so that k admins must approve a reset, and lists reset requests with
 * approve, refuse and complete actions, each re-authenticated.
 */
export function EscrowQuorumCard(props: { admin: AdminKeys }): JSX.Element {
  const [state, { refetch }] = createResource(
    () => props.admin.session,
    async (session) => ({ ...(await loadEscrowQuorum(session)), users: await loadUsers(session) }),
  )
  const [pending, setPending] = createSignal<Pending>()
  const [k, setK] = createSignal("2")
  const [target, setTarget] = createSignal("")
  const [reason, setReason] = createSignal("")
  const [error, setError] = createSignal<unknown>()
  const [otp, setOtp] = createSignal<{ name: string; password: string }>()

  const admins = () =>
    (state()?.users ?? []).filter((u) => u.role === "admin" && !u.disabled && u.publicKey)
  const policy = () => state()?.policy.policy?.body
  const split = () => (policy()?.threshold ?? 1) >= 2
  const nameOf = (id: string) => {
    const u = state()?.users.find((x) => x.id === id)
    return u ? `${u.name} (${u.username})` : id
  }
  const holds = () => policy()?.holders.some((h) => h.userId === props.admin.userId) === true
  const done = () => {
    setPending(undefined)
    setError(undefined)
    void refetch()
  }
  const tryIt = (work: () => Promise<void>) => async () => {
    setError(undefined)
    try {
      await work()
    } catch (e) {
      setError(e)
    }
  }
  const errorText = () => {
    const e = error()
    return e instanceof Error && (e as { code?: string }).code === "NOT_APPROVED"
      ? e.message
      : undefined
  }

  return (
    <section class="card" aria-label="Escrow approvals">
      <h2>Escrow approvals</h2>
      <AdminError error={state.error} />
      <Show when={state()}>
        <Show
          when={split()}
          fallback={
            <>
              <p data-escrow-mode="1-of-n">
                This node runs <strong>1-of-n escrow</strong>: any single admin, or anyone who gets
                one admin's password, can reset any account and read every tip.
              </p>
              <p>
                Split the escrow key so that a reset needs several admins, each approving in their
                own browser. Each approval is in the audit log.
              </p>
              <div class="field">
                <label for="escrow-k">Admins who must approve a reset</label>
                <select id="escrow-k" value={k()} onChange={(e) => setK(e.currentTarget.value)}>
                  <For
                    each={admins()
                      .slice(1)
                      .map((_, i) => i + 2)}
                  >
                    {(n) => (
                      <option value={String(n)}>
                        {n} of {admins().length}
                      </option>
                    )}
                  </For>
                </select>
              </div>
              <p class="actions">
                <button
                  type="button"
                  disabled={admins().length < 2}
                  onClick={() => setPending({ kind: "split" })}
                >
                  Split the escrow key
                </button>
              </p>
            </>
          }
        >
          <p data-escrow-mode="k-of-n">
            A password reset with escrow needs <strong>{policy()?.threshold}</strong> of{" "}
            {policy()?.holders.length} admins to approve:{" "}
            {policy()
              ?.holders.map((h) => nameOf(h.userId))
              .join(", ")}
            .
          </p>
          <Show when={holds()}>
            <form
              aria-label="New escrow reset request"
              onSubmit={(e) => {
                e.preventDefault()
                setPending({ kind: "ask" })
              }}
            >
              <div class="field">
                <label for="escrow-target">Account to reset</label>
                <select
                  id="escrow-target"
                  value={target()}
                  required
                  onChange={(e) => setTarget(e.currentTarget.value)}
                >
                  <option value="">Choose…</option>
                  <For each={(state()?.users ?? []).filter((u) => u.publicKey)}>
                    {(u: AdminUser) => <option value={u.id}>{`${u.name} (${u.username})`}</option>}
                  </For>
                </select>
              </div>
              <div class="field">
                <label for="escrow-reason">Why (the other admins see this)</label>
                <input
                  id="escrow-reason"
                  value={reason()}
                  required
                  maxLength={1000}
                  onInput={(e) => setReason(e.currentTarget.value)}
                />
              </div>
              <button type="submit" disabled={!target() || !reason().trim()}>
                Ask the other admins
              </button>
            </form>
          </Show>
          <h3>Requests</h3>
          <Show
            when={(state()?.requests ?? []).length > 0}
            fallback={<p class="muted">No requests in the last 30 days.</p>}
          >
            <ul aria-label="Escrow reset requests">
              <For each={state()?.requests ?? []}>
                {(r) => {
                  const b = r.request.body
                  const mine = () => r.approvedBy.includes(props.admin.userId)
                  return (
                    <li data-request={b.id} data-status={r.status}>
                      <p>
                        {nameOf(b.initiator)} asks to reset <strong>{b.username}</strong>: “
                        {b.reason}” · {formatTime(b.createdAt)} ·{" "}
                        <span data-approvals>
                          {r.approvedBy.length} of {policy()?.threshold} approvals
                        </span>{" "}
                        · {r.status}
                      </p>
                      <Show when={r.status === "open"}>
                        <p class="actions">
                          <Show when={holds() && !mine()}>
                            <button
                              type="button"
                              onClick={() => setPending({ kind: "approve", request: r })}
                            >
                              Approve
                            </button>
                            <button
                              type="button"
                              class="secondary"
                              onClick={tryIt(async () => {
                                await refuseEscrowReset(props.admin, b.id)
                                done()
                              })}
                            >
                              Refuse
                            </button>
                          </Show>
                          <Show when={canComplete(b.id)}>
                            <button
                              type="button"
                              onClick={() => setPending({ kind: "complete", request: r })}
                            >
                              Complete reset
                            </button>
                          </Show>
                        </p>
                      </Show>
                    </li>
                  )
                }}
              </For>
            </ul>
          </Show>
        </Show>
        <Show when={errorText()} fallback={<AdminError error={error()} />}>
          <p class="notice error" role="alert">
            {errorText()}
          </p>
        </Show>
        <Switch>
          <Match when={pending()?.kind === "split"}>
            <ReauthDialog
              admin={props.admin}
              title="Split the escrow key"
              note={`A reset will need ${k()} of ${admins().length} admins. Every admin's copy of the whole key is deleted from the server.`}
              action="Split the escrow key"
              onCancel={() => setPending(undefined)}
              onConfirm={async (key) => {
                const holders = admins().map((a) => a.id)
                await splitEscrowKey(props.admin, state()?.users ?? [], holders, Number(k()), key)
                done()
              }}
            />
          </Match>
          <Match when={pending()?.kind === "ask"}>
            <ReauthDialog
              admin={props.admin}
              title="Ask for an escrow reset"
              action="Ask for approval"
              onCancel={() => setPending(undefined)}
              onConfirm={async (key) => {
                const user = state()?.users.find((u) => u.id === target())
                if (!user) return
                await askEscrowReset(props.admin, user, reason().trim(), key)
                setReason("")
                done()
              }}
            />
          </Match>
          <Match when={pending()?.kind === "approve"}>
            <ReauthDialog
              admin={props.admin}
              title={`Approve resetting ${(pending() as { request: EscrowRequestView }).request.request.body.username}`}
              note="Your share of the escrow key goes, encrypted, only to the admin who asked."
              action="Approve"
              onCancel={() => setPending(undefined)}
              onConfirm={async (key) => {
                const p = pending()
                if (p?.kind !== "approve") return
                await approveEscrowReset(props.admin, p.request, key)
                done()
              }}
            />
          </Match>
          <Match when={pending()?.kind === "complete"}>
            <ReauthDialog
              admin={props.admin}
              title="Complete the escrow reset"
              action="Complete reset"
              onCancel={() => setPending(undefined)}
              onConfirm={async (key) => {
                const p = pending()
                if (p?.kind !== "complete") return
                try {
                  const password = await completeEscrowReset(
                    props.admin,
                    p.request.request.body.id,
                    key,
                  )
                  setOtp({ name: p.request.request.body.username, password })
                  done()
                } catch (e) {
                  setPending(undefined)
                  setError(e)
                }
              }}
            />
          </Match>
        </Switch>
        <Show when={otp()}>
          {(o) => (
            <OneTimePassword name={o().name} password={o().password} onDone={() => setOtp()} />
          )}
        </Show>
      </Show>
    </section>
  )
}
