import { createSignal, type JSX, onMount, Show } from "solid-js"
import { t } from "../i18n/index.js"
import { afterAppReady } from "../lib/appReady.js"
import { refusedUpdate, setCodeManifest, setRefusedUpdate } from "../lib/codeIntegrity.js"
import { messageFor } from "../lib/messages.js"
import "./updateBanner.css"

/**
 * Registers the service worker once the page is usable (lib/appReady.ts: its precache would
 * otherwise compete with the report form on a slow link) and, when a new version of the app is
 * waiting and passed the release check, says so with a Reload button: the code in use is never
 * swapped silently. A version that failed the check gets a red warning instead, and no Reload.
 */
export function UpdateBanner(): JSX.Element {
  const [reload, setReload] = createSignal<(() => void) | undefined>()
  onMount(() => {
    if (import.meta.env.DEV || !("serviceWorker" in navigator)) return
    afterAppReady(() => register())
  })
  const register = () =>
    import("../lib/serviceWorker.js")
      .then(({ registerServiceWorker }) =>
        registerServiceWorker({
          onUpdateReady: (apply) => setReload(() => apply),
          onUpdateRefused: (refusal) => {
            setReload(undefined)
            setRefusedUpdate(refusal)
          },
          onManifest: setCodeManifest,
        }),
      )
      // Without a service worker the app still works, only not offline: nothing to tell.
      .catch(() => undefined)
  return (
    <>
      <div class="update-banner" role="status">
        <Show when={!refusedUpdate() && reload()}>
          {(apply) => (
            <p>
              {messageFor("app.updateReady")}{" "}
              <button type="button" onClick={() => apply()()}>
                Reload
              </button>
            </p>
          )}
        </Show>
      </div>
      <div class="update-banner refused" role="alert">
        <Show when={refusedUpdate()}>
          {(refusal) => (
            <p>
              {messageFor("app.updateRefused")}
              <Show when={refusal().files.length > 0}>
                {" "}
                Files that differ: {refusal().files.join(", ")}.
              </Show>{" "}
              <a href="/verify-code">{t("verify.howTo")}</a>
            </p>
          )}
        </Show>
      </div>
    </>
  )
}
