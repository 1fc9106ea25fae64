import { A } from "@solidjs/router"
import { createResource, createSignal, type JSX, onCleanup, onMount, Show } from "solid-js"
import { loadContext } from "../../lib/api.js"
import { formatTime } from "../../lib/format.js"
import { connectLive, type LiveStatus } from "../../lib/liveEvents.js"
import { messageFor } from "../../lib/messages.js"
import { addComment, loadOpenTip, wbMetaSealer } from "../../lib/wbTip.js"
import { useWbSession, type WbSessionState } from "../../store/createWbSession.js"
import { ErrorNotice } from "../../ui/Notice.jsx"
import { AddFiles } from "../../ui/wb/AddFiles.jsx"
import { AnswerList, CommentBox, CommentList, FileList } from "../../ui/wb/TipThread.jsx"

/** The whistleblower's report after login: answers, the conversation, files; live updates. */
export default function MyReport(): JSX.Element {
  const wbSession = useWbSession()
  return (
    <Show
      when={wbSession.state()}
      fallback={
        <section>
          <h1>Your report</h1>
          <p class="notice error" role="alert">
            {messageFor("error.NO_SESSION")}
          </p>
          <A class="button" href="/return">
            Log in with your receipt
          </A>
        </section>
      }
    >
      {(state) => <Opened state={state()} onEnded={() => wbSession.clear()} />}
    </Show>
  )
}

function Opened(props: { state: WbSessionState; onEnded: () => void }): JSX.Element {
  const { session, tipRecipient, tipId } = props.state
  const keys = props.state
  const [tip, { refetch }] = createResource(() => loadOpenTip(keys))
  const [context] = createResource(
    () => tip()?.contextId,
    (id) => loadContext(id).catch(() => undefined),
  )
  const [live, setLive] = createSignal<LiveStatus>("connecting")
  const [commentError, setCommentError] = createSignal<unknown>()
  const [status, setStatus] = createSignal<string>()

  onMount(() => {
    let first = true
    const close = connectLive(
      session,
      (event) => {
        if (event.tipId === tipId) void refetch()
      },
      {
        onStatus: setLive,
        // Events sent while the socket was down are lost: catch up after a reconnect.
        onReady: () => {
          if (!first) void refetch()
          first = false
        },
      },
    )
    onCleanup(close)
  })

  const send = async (text: string): Promise<boolean> => {
    setCommentError(undefined)
    setStatus(undefined)
    try {
      const head = current()?.head
      if (!head) return false
      await addComment(keys, head, text)
      setStatus(messageFor("wb.commentSent"))
      void refetch()
      return true
    } catch (e) {
      setCommentError(e)
      return false
    }
  }

  const current = () => (tip.error ? undefined : tip.latest)

  return (
    <>
      <h1>Your report</h1>
      <ErrorNotice error={tip.error} />
      <Show when={current()}>
        {(t) => (
          <>
            <section class="card" aria-labelledby="facts">
              <h2 id="facts">Status</h2>
              <p data-status={t().status}>{messageFor(`wb.status.${t().status}`)}</p>
              <Show
                when={t().acknowledgedAt}
                fallback={<p data-acknowledged="no">Not acknowledged yet.</p>}
              >
                {(at) => <p data-acknowledged="yes">Acknowledged on {formatTime(at())}.</p>}
              </Show>
              <Show when={t().identityDisclosed !== undefined}>
                <p data-identity-disclosed={t().identityDisclosed ? "yes" : "no"}>
                  {t().identityDisclosed
                    ? "Your identity was disclosed to a recipient, with a custodian's approval."
                    : "Your identity has not been disclosed to any recipient."}
                </p>
              </Show>
              <p>
                Received by the node on {formatTime(t().createdAt)}; last activity{" "}
                {formatTime(t().updatedAt)}.
              </p>
              <p>
                It will be deleted on {formatTime(t().expiresAt)} unless the recipients keep it
                longer.
              </p>
              <p>
                <small aria-live="polite" data-live={live()}>
                  {live() === "live" ? messageFor("wb.live") : ""}
                </small>
              </p>
            </section>
            <section aria-labelledby="thread">
              <h2 id="thread">Messages</h2>
              <CommentList comments={t().comments} />
              <p role="status" aria-live="polite">
                {status()}
              </p>
              <ErrorNotice error={commentError()} />
              <CommentBox onSend={send} />
            </section>
            <section aria-labelledby="files">
              <h2 id="files">Files</h2>
              <FileList files={t().files} />
              <Show when={context()}>
                {(c) => (
                  <Show when={c().maxFiles > 0}>
                    <AddFiles
                      session={session}
                      tipId={tipId}
                      tipRecipient={tipRecipient}
                      sealMeta={() => wbMetaSealer(keys, current()?.head ?? t().head)}
                      limits={{
                        maxFiles: Math.max(0, c().maxFiles - t().files.length),
                        maxFileBytes: c().maxFileBytes,
                      }}
                      onSent={() => void refetch()}
                    />
                  </Show>
                )}
              </Show>
            </section>
            <section aria-labelledby="answers">
              <h2 id="answers">Your answers</h2>
              <AnswerList answers={t().answers} questions={t().questions} />
            </section>
            <div class="actions">
              <A class="button secondary" href="/" onClick={() => props.onEnded()}>
                Log out
              </A>
            </div>
          </>
        )}
      </Show>
    </>
  )
}
