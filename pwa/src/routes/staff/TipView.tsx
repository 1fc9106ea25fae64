import { useParams } from "@solidjs/router"
import { createResource, type JSX, onCleanup, onMount, Show } from "solid-js"
import { errorCode } from "../../lib/errors.js"
import { formatTime } from "../../lib/format.js"
import { connectLive } from "../../lib/liveEvents.js"
import { outboxMessage } from "../../lib/outboxMessages.js"
import { openTipKept } from "../../lib/staffCache.js"
import { loadColleagues } from "../../lib/staffDirectory.js"
import { loadContextInfo } from "../../lib/staffTips.js"
import { useStaffSession } from "../../store/createStaffSession.js"
import { ErrorNotice } from "../../ui/Notice.jsx"
import { StaffBar } from "../../ui/staff/StaffBar.jsx"
import { TipAccess } from "../../ui/staff/TipAccess.jsx"
import { TipAnswers } from "../../ui/staff/TipAnswers.jsx"
import { TipComments } from "../../ui/staff/TipComments.jsx"
import { TipExport } from "../../ui/staff/TipExport.jsx"
import { TipFiles } from "../../ui/staff/TipFiles.jsx"
import { TipIdentity } from "../../ui/staff/TipIdentity.jsx"
import { TipManage } from "../../ui/staff/TipManage.jsx"

/**
 * One tip, opened in this browser: the tip key is unwrapped with the account identity in the
 * tip worker, then answers, comments and file names are decrypted there. Comments, files, status,
 * access and export act on it; changes pushed by the relay refresh it.
 */
export default function TipView(): JSX.Element {
  const params = useParams<{ tipId: string }>()
  const staff = useStaffSession()
  const source = () => {
    const s = staff.state()
    return s?.identity && s.stage === "full"
      ? { state: s, identity: s.identity, tipId: params.tipId }
      : undefined
  }
  // Kept encrypted on this device once opened, so it can be read again offline.
  const [tip, { refetch }] = createResource(source, (src) =>
    openTipKept(src.state, src.tipId, src.identity),
  )
  // Reading `latest` of a failed resource throws: look at the error first.
  const opened = () => (tip.error ? undefined : tip.latest)
  const [context] = createResource(
    () => opened()?.tip.contextId,
    (contextId) => loadContextInfo(contextId),
  )
  const [colleagues] = createResource(
    () => opened()?.tip.contextId,
    (contextId) => loadColleagues(contextId).catch((error: unknown) => ({ error })),
  )

  onMount(() => {
    staff.markOpened(params.tipId)
    const s = staff.state()
    if (s?.stage !== "full" || s.offline) return
    const close = connectLive(s.session, (event) => {
      if (event.tipId === params.tipId && event.type !== "tip.deleted") void refetch()
    })
    onCleanup(close)
  })

  const nameOf = (author: string): string => {
    const s = staff.state()
    if (author === "wb") return "Whistleblower"
    if (author === s?.userId) return `${s.name} (you)`
    const list = colleagues()
    const found = Array.isArray(list) ? list.find((c) => c.id === author) : undefined
    return found?.name ?? "A colleague"
  }
  const session = () => staff.state()?.session ?? ""

  return (
    <>
      <StaffBar />
      <Show when={staff.state()?.offline}>
        <p class="notice warn" role="status">
          {outboxMessage("staffCache.offlineLogin")}
        </p>
      </Show>
      <Show
        when={errorCode(tip.error) === "OFFLINE_NO_TIP"}
        fallback={<ErrorNotice error={tip.error} />}
      >
        <p class="notice error" role="alert">
          {outboxMessage("staffCache.noTip")}
        </p>
      </Show>
      <Show when={opened()}>
        {(t) => (
          <>
            <h1>{context()?.name ?? "Tip"}</h1>
            <dl class="kv">
              <dt>Received</dt>
              <dd>{formatTime(t().tip.createdAt)}</dd>
              <dt>Updated</dt>
              <dd>{formatTime(t().tip.updatedAt)}</dd>
              <dt>Expires</dt>
              <dd data-testid="expires">{formatTime(t().tip.expiresAt)}</dd>
              <dt>Status</dt>
              <dd data-testid="status">{t().tip.status}</dd>
              <dt>Labels</dt>
              <dd data-testid="labels">{t().tip.labels.join(", ") || "—"}</dd>
              <dt>Whistleblower last here</dt>
              <dd>
                {t().tip.wbLastAccessAt ? formatTime(t().tip.wbLastAccessAt ?? 0) : "not since"}
              </dd>
            </dl>
            <section class="card" aria-labelledby="answers-h">
              <h2 id="answers-h">Answers</h2>
              <TipAnswers answers={t().answers} questions={t().questions} />
            </section>
            <TipIdentity
              session={session()}
              reader={staff.state()?.identity ?? ""}
              tip={t()}
              nameOf={nameOf}
            />
            <TipComments
              session={session()}
              tip={t()}
              author={{
                userId: staff.state()?.userId ?? "",
                identity: staff.state()?.identity ?? "",
              }}
              nameOf={nameOf}
              onChanged={refetch}
            />
            <TipFiles session={session()} tip={t()} nameOf={nameOf} />
            <TipAccess
              session={session()}
              userId={staff.state()?.userId ?? ""}
              tip={t()}
              nameOf={nameOf}
              colleagues={colleagues()}
              onChanged={refetch}
            />
            <TipManage session={session()} tip={t()} onChanged={refetch} />
            <TipExport
              session={session()}
              tip={t()}
              nameOf={nameOf}
              reader={staff.state()?.identity ?? ""}
            />
          </>
        )}
      </Show>
    </>
  )
}
