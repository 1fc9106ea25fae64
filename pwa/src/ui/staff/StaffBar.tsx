import { A, useNavigate } from "@solidjs/router"
import { type JSX, onMount, Show } from "solid-js"
import { staffLogout } from "../../lib/staffAuth.js"
import { type StaffSessionState, useStaffSession } from "../../store/createStaffSession.js"

/**
 * The staff pages' top bar: who is logged in, a link to the inbox and the logout button. Sends
 * the visitor to the login page when this tab holds no full session with open keys.
 */
export function StaffBar(props: { children?: JSX.Element }): JSX.Element {
  const staff = useStaffSession()
  const navigate = useNavigate()
  onMount(() => {
    const s = staff.state()
    if (s?.stage !== "full" || !s.identity) navigate("/staff", { replace: true })
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
        <button type="button" class="secondary" onClick={logout}>
          Log out
        </button>
      </span>
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
