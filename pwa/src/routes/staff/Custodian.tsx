import { createResource, createSignal, For, type JSX, Show } from "solid-js"
import { formatTime } from "../../lib/format.js"
import {
  approveRequest,
  type CustodianRequest,
  loadCustodianRequests,
  openReason,
  refuseRequest,
} from "../../lib/staffIdentity.js"
import { useStaffSession } from "../../store/createStaffSession.js"
import { ErrorNotice } from "../../ui/Notice.jsx"
import { StaffBar } from "../../ui/staff/StaffBar.jsx"

/**
 * A custodian's identity requests: each reason is opened in this browser, and approving wraps
 * the identity key here to the requester's key from the verified signed directory (SPEC §6.3).
 */
export default function Custodian(): JSX.Element {
  const staff = useStaffSession()
  const session = () => staff.state()?.session
  const [requests, { refetch }] = createResource(session, loadCustodianRequests)
  return (
    <>
      <StaffBar />
      <h1>Identity requests</h1>
      <p class="muted">
        Recipients ask to see a whistleblower's identity with a written reason. Approve only when
        the reason justifies it: the whistleblower is told their identity was disclosed.
      </p>
      <ErrorNotice error={requests.error} />
      <Show when={!requests.error && requests.latest}>
        {(list) => (
          <Show when={list().length > 0} fallback={<p>No requests.</p>}>
            <ul class="plain" aria-label="Identity requests">
              <For each={list()}>
                {(r) => <RequestItem request={r} onDecided={() => void refetch()} />}
              </For>
            </ul>
          </Show>
        )}
      </Show>
    </>
  )
}

function RequestItem(props: { request: CustodianRequest; onDecided: () => void }): JSX.Element {
  const staff = useStaffSession()
  const identity = () => staff.state()?.identity ?? ""
  const session = () => staff.state()?.session ?? ""
  const [reason] = createResource(
    () => ({ request: props.request, identity: identity() }),
    (src) => openReason(src.request, src.identity),
  )
  const [error, setError] = createSignal<unknown>()
  const [busy, setBusy] = createSignal(false)
  const decide = async (approve: boolean) => {
    setError(undefined)
    setBusy(true)
    try {
      if (approve) await approveRequest(session(), props.request, identity())
      else await refuseRequest(session(), props.request)
      props.onDecided()
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }
  return (
    <li class="card" data-request={props.request.id} data-state={props.request.state}>
      <p>
        Request of {formatTime(props.request.createdAt)} on a tip ({props.request.tipId}), by user{" "}
        <span class="mono">{props.request.requester}</span>: <strong>{props.request.state}</strong>
      </p>
      <ErrorNotice error={reason.error} />
      <Show when={!reason.error && reason.latest}>
        {(text) => <blockquote data-reason>{text()}</blockquote>}
      </Show>
      <Show when={props.request.state === "pending"}>
        <p class="actions">
          <button type="button" disabled={busy()} onClick={() => void decide(true)}>
            Approve
          </button>
          <button
            type="button"
            class="secondary"
            disabled={busy()}
            onClick={() => void decide(false)}
          >
            Refuse
          </button>
        </p>
      </Show>
      <ErrorNotice error={error()} />
    </li>
  )
}
