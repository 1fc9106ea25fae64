import { createSignal, type JSX } from "solid-js"
import { describeError } from "../../lib/errors.js"
import { outboxMessage } from "../../lib/outboxMessages.js"
import { forgetDevice } from "../../lib/staffCache.js"

/**
 * "Forget this device": deletes the encrypted copies of tips and the sealed account identity
 * this browser keeps for offline reading. `onForgotten` runs afterwards (e.g. to log out).
 */
export function ForgetDevice(props: { onForgotten?: () => void }): JSX.Element {
  const [status, setStatus] = createSignal<string>()
  const forget = async () => {
    try {
      await forgetDevice()
      setStatus(outboxMessage("staffCache.forgotten"))
      props.onForgotten?.()
    } catch (e) {
      setStatus(describeError(e))
    }
  }
  return (
    <section class="card" aria-labelledby="forget-title">
      <h2 id="forget-title">This device</h2>
      <p>{outboxMessage("staffCache.forgetHelp")}</p>
      <button type="button" class="secondary" onClick={() => void forget()}>
        Forget this device
      </button>
      <p role="status" aria-live="polite" id="forget-status">
        {status()}
      </p>
    </section>
  )
}
