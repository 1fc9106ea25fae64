import type { JSX } from "solid-js"
import { Show } from "solid-js"
import { codeManifest, refusedUpdate } from "../../lib/codeIntegrity.js"

/**
 * How to compare the code this browser runs with the published release: the manifest hash the
 * service worker was installed with, and what to do with it (README "Verifying the code you
 * are served").
 */
export default function VerifyCode(): JSX.Element {
  return (
    <section class="card" aria-labelledby="verify-title">
      <h1 id="verify-title">Check the code you are running</h1>
      <p>
        Everything you type is encrypted by code this node sends to your browser. Each official
        release lists every file with its fingerprint in a manifest signed by the Sotto project.
      </p>
      <Show
        when={codeManifest()}
        fallback={<p>This browser has not installed the app yet, so there is no hash to show.</p>}
      >
        {(code) => (
          <p>
            The app in this browser was installed with the code manifest{" "}
            <code data-full-hash class="hash">
              {code().hash ?? "(none: the node served no manifest)"}
            </code>
            .{" "}
            {code().signed
              ? "It is signed by a Sotto release key."
              : "It is NOT signed: an unsigned development build."}
          </p>
        )}
      </Show>
      <Show when={refusedUpdate()}>
        <p role="alert">
          This node offered code that failed the release check. Keep this tab open and tell the
          organisation.
        </p>
      </Show>
      <ol>
        <li>
          Compare the hash above with the one the organisation or the Sotto project publishes.
        </li>
        <li>
          Or, from a computer, run <code>npx sotto-verify &lt;address of this node&gt;</code> (with{" "}
          <code>--socks5 127.0.0.1:9050</code> for an onion address): it checks every file and
          header against the signed manifest and says which differ.
        </li>
        <li>
          The installed app checks every update itself and shows a red warning instead of an update
          whose code is not signed.
        </li>
      </ol>
      <p>
        A first visit from a fresh browser has to trust the node, as with any web page; these checks
        turn a substituted page into something that can be detected.
      </p>
    </section>
  )
}
