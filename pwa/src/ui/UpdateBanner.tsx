import { createSignal, type JSX, onMount, Show } from "solid-js"
import { messageFor } from "../lib/messages.js"
import "./updateBanner.css"

/**
 * Registers the service worker after the page has loaded and, when a new version of the app is
 * waiting, says so with a Reload button: the code in use is never swapped silently.
 */
export function UpdateBanner(): JSX.Element {
  const [reload, setReload] = createSignal<(() => void) | undefined>()
  onMount(() => {
    if (import.meta.env.DEV || !("serviceWorker" in navigator)) return
    import("../lib/serviceWorker.js")
      .then(({ registerServiceWorker }) => registerServiceWorker((apply) => setReload(() => apply)))
      // Without a service worker the app still works, only not offline: nothing to tell.
      .catch(() => undefined)
  })
  return (
    <div class="update-banner" role="status">
      <Show when={reload()}>
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
  )
}
