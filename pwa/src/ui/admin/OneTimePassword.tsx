import type { JSX } from "solid-js"
import { adminMessage } from "../../lib/adminMessages.js"

/**
 * A one-time password shown once, to hand over to `name`, with a button to dismiss it (after
 * which it is gone from this tab).
 */
export function OneTimePassword(props: {
  name: string
  password: string
  onDone: () => void
}): JSX.Element {
  return (
    <section class="card" aria-live="polite" aria-label="One-time password">
      <p>{adminMessage("admin.otpOnce", { name: props.name })}</p>
      <p class="receipt">
        <code class="mono" data-otp>
          {props.password}
        </code>
      </p>
      <button type="button" onClick={() => props.onDone()}>
        I have handed it over
      </button>
    </section>
  )
}
