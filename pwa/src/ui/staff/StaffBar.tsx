import { A, useNavigate } from "@solidjs/router"
import { type JSX, onMount, Show } from "solid-js"
import { staffLogout } from "../../lib/staffAuth.js"
import { type StaffSessionState, useStaffSession } from "../../store/createStaffSession.js"

/**
 * The staff pages' top bar: who is logged in, links to the inbox and the account page, and the
 * logout button. Sends the visitor to the login page when this tab holds no session with open
 * keys; at stage `second-factor-enrol` it stays (the relay refuses the page's data) and points to
 * the enrolment.
 */
export function StaffBar(props: { children?: JSX.Element }): JSX.Element {
  const staff = useStaffSession()
  const navigate = useNavigate()
  onMount(() => {
    const s = staff.state()
    const open = s?.stage === "full" || s?.stage === "second-factor-enrol"
    if (!open || !s?.identity) navigate("/staff", { replace: true })
  })
  const logout = async () => {
    const s = staff.state()
    staff.clear()
    if (s) await staffLogout(s.session)
    navigate("/staff", { replace: true })
  }
  return (
    <div class="staff-bar">
      <span>
        <Show when={staff.state()}>{(s) => <>Logged in as {s().name}</>}</Show>
        {props.children}
      </span>
      <span class="actions">
        <A href="/staff/inbox">Inbox</A>
        <Show when={staff.state()?.role === "admin"}>
          <A href="/admin/users">Admin</A>
        </Show>
        <Show when={staff.state()?.role === "custodian"}>
          <A href="/staff/custodian">Identity requests</A>
        </Show>
        <A href="/staff/account">Account</A>
        <button type="button" class="secondary" onClick={logout}>
          Log out
        </button>
      </span>
      <Show when={staff.state()?.stage === "second-factor-enrol"}>
        <p class="notice warn">
          <A href="/staff/second-factor">Set up a second factor</A> to continue.
        </p>
      </Show>
    </div>
  )
}

/** The full session of this tab. @throws Error when there is none (StaffBar redirects first). */
export function fullSession(state: StaffSessionState | undefined): {
  session: string
  identity: string
  userId: string
} {
  if (!state?.identity || state.stage !== "full") throw new Error("no full staff session")
  return { session: state.session, identity: state.identity, userId: state.userId }
}
