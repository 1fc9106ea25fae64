import { A } from "@solidjs/router"
import { createResource, createSignal, type JSX, onCleanup, onMount, Show } from "solid-js"
import { formatDateTime, t } from "../../i18n/index.js"
import { loadContext } from "../../lib/api.js"
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
          <h1>{t("tip.title")}</h1>
          <p class="notice error" role="alert">
            {t("error.NO_SESSION")}
          </p>
          <A class="button" href="/return">
            {t("landing.login")}
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
      setStatus(t("wb.commentSent"))
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
      <h1>{t("tip.title")}</h1>
      <ErrorNotice error={tip.error} />
      <Show when={current()}>
        {(opened) => (
          <>
            <section class="card" aria-labelledby="facts">
              <h2 id="facts">{t("tip.status")}</h2>
              <p data-status={opened().status}>{messageFor(`wb.status.${opened().status}`)}</p>
              <Show
                when={opened().acknowledgedAt}
                fallback={<p data-acknowledged="no">{t("tip.notAcknowledged")}</p>}
              >
                {(at) => (
                  <p data-acknowledged="yes">
                    {t("tip.acknowledged", { date: formatDateTime(at()) })}
                  </p>
                )}
              </Show>
              <Show when={opened().identityDisclosed !== undefined}>
                <p data-identity-disclosed={opened().identityDisclosed ? "yes" : "no"}>
                  {opened().identityDisclosed ? t("tip.identityDisclosed") : t("tip.identityKept")}
                </p>
              </Show>
              <p>
                {t("tip.received", {
                  created: formatDateTime(opened().createdAt),
                  updated: formatDateTime(opened().updatedAt),
                })}
              </p>
              <p>{t("tip.deleteOn", { date: formatDateTime(opened().expiresAt) })}</p>
              <p>
                <small aria-live="polite" data-live={live()}>
                  {live() === "live" ? t("wb.live") : ""}
                </small>
              </p>
            </section>
            <section aria-labelledby="thread">
              <h2 id="thread">{t("tip.messages")}</h2>
              <CommentList comments={opened().comments} />
              <p role="status" aria-live="polite">
                {status()}
              </p>
              <ErrorNotice error={commentError()} />
              <CommentBox onSend={send} />
            </section>
            <section aria-labelledby="files">
              <h2 id="files">{t("tip.files")}</h2>
              <FileList files={opened().files} />
              <Show when={context()}>
                {(c) => (
                  <Show when={c().maxFiles > 0}>
                    <AddFiles
                      session={session}
                      tipId={tipId}
                      tipRecipient={tipRecipient}
                      sealMeta={() => wbMetaSealer(keys, current()?.head ?? opened().head)}
                      limits={{
                        maxFiles: Math.max(0, c().maxFiles - opened().files.length),
                        maxFileBytes: c().maxFileBytes,
                      }}
                      onSent={() => void refetch()}
                    />
                  </Show>
                )}
              </Show>
            </section>
            <section aria-labelledby="answers">
              <h2 id="answers">{t("tip.answers")}</h2>
              <AnswerList answers={opened().answers} questions={opened().questions} />
            </section>
            <div class="actions">
              <A class="button secondary" href="/" onClick={() => props.onEnded()}>
                {t("tip.logout")}
              </A>
            </div>
          </>
        )}
      </Show>
    </>
  )
}
