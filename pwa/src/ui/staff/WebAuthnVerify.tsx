import { useNavigate } from "@solidjs/router"
import { createSignal, type JSX } from "solid-js"
import { pathForStage } from "../../lib/staffFactors.js"
import { describeKeyError, verifyWithKey } from "../../lib/staffWebAuthn.js"
import { useStaffSession } from "../../store/createStaffSession.js"

/**
 * The "Use a security key" button of the login's second-factor step: the browser asks for a
 * registered key, the relay checks its answer, the identity opens and the login goes on to the
 * page of the new stage. Failures go to `onError` (the step's alert line); `undefined` clears it.
 */
export function WebAuthnVerify(props: {
  onError: (text: string | undefined) => void
}): JSX.Element {
  const navigate = useNavigate()
  const staff = useStaffSession()
  const [busy, setBusy] = createSignal(false)

  const use = async () => {
    const s = staff.state()
    if (!s) return
    setBusy(true)
    props.onError(undefined)
    try {
      const next = await verifyWithKey(s)
      staff.set(next)
      navigate(pathForStage(next.stage), { replace: true })
    } catch (e) {
      props.onError(describeKeyError(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <button type="button" class="secondary" onClick={use} disabled={busy()} aria-busy={busy()}>
      <span aria-live="polite">
        {busy() ? "Waiting for your security key…" : "Use a security key"}
      </span>
    </button>
  )
}
