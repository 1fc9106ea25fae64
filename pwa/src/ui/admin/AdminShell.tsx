import { A } from "@solidjs/router"
import { type JSX, Show } from "solid-js"
import type { AdminKeys } from "../../lib/adminKeys.js"
import { describeAdminError } from "../../lib/adminMessages.js"
import { useStaffSession } from "../../store/createStaffSession.js"
import { StaffBar } from "../staff/StaffBar.jsx"
import { DiskWarning } from "./DiskWarning.jsx"

const LINKS: readonly [string, string][] = [
  ["/admin/users", "Users"],
  ["/admin/contexts", "Channels"],
  ["/admin/settings", "Settings"],
  ["/admin/audit", "Audit log"],
  ["/admin/stats", "Stats"],
  ["/admin/storage", "Storage"],
]

/**
 * The frame of every admin page: the staff bar (which sends visitors without a full session to
 * the login), the console's navigation and a heading; the page body renders only for admins,
 * with their session and opened identity, under the free-disk warning when disk is low.
 */
export function AdminShell(props: {
  title: string
  children: (admin: AdminKeys) => JSX.Element
}): JSX.Element {
  const staff = useStaffSession()
  const admin = (): AdminKeys | undefined => {
    const s = staff.state()
    if (s?.stage !== "full" || !s.identity || s.role !== "admin") return undefined
    return { userId: s.userId, session: s.session, identity: s.identity, username: s.username }
  }
  return (
    <>
      <StaffBar />
      <nav class="admin-nav" aria-label="Admin console">
        {LINKS.map(([href, label]) => (
          <A href={href} activeClass="current">
            {label}
          </A>
        ))}
      </nav>
      <h1>{props.title}</h1>
      <Show
        when={admin()}
        fallback={
          <Show when={staff.state()}>
            <p class="notice error" role="alert">
              Only administrators can use the admin console.
            </p>
          </Show>
        }
      >
        {(a) => (
          <>
            <DiskWarning session={a().session} />
            {props.children(a())}
          </>
        )}
      </Show>
    </>
  )
}

/** An error in the admin's words (role=alert); nothing when undefined. */
export function AdminError(props: { error: unknown }): JSX.Element {
  return (
    <Show when={props.error !== undefined && props.error !== null}>
      <p class="notice error" role="alert">
        {describeAdminError(props.error)}
      </p>
    </Show>
  )
}
