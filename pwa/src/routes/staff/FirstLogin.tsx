import { useNavigate } from "@solidjs/router"
import { createSignal, type JSX, onMount, Show } from "solid-js"
import { messageFor } from "../../lib/messages.js"
import {
  type FirstPasswordDraft,
  prepareFirstPassword,
  resealPassword,
} from "../../lib/staffAuth.js"
import { pathForStage } from "../../lib/staffFactors.js"
import { useStaffSession } from "../../store/createStaffSession.js"
import { ErrorNotice, ProgressBar } from "../../ui/Notice.jsx"
import { checkNewPassword, PasswordFields } from "../../ui/staff/PasswordFields.jsx"
import { RecoveryKeyStep } from "../../ui/staff/RecoveryKeyStep.jsx"

/**
 * The forced password change. At first login (no identity yet) it also makes the account identity
 * and a recovery key, which must be confirmed saved before anything is sent; after an escrow reset
 * it reseals the existing identity to the new password.
 */
export default function FirstLogin(): JSX.Element {
  const navigate = useNavigate()
  const staff = useStaffSession()
  const [password, setPassword] = createSignal("")
  const [confirm, setConfirm] = createSignal("")
  const [fieldError, setFieldError] = createSignal<string>()
  const [error, setError] = createSignal<unknown>()
  const [progress, setProgress] = createSignal<number>()
  const [draft, setDraft] = createSignal<FirstPasswordDraft>()
  const [sending, setSending] = createSignal(false)

  onMount(() => {
    if (staff.state()?.stage !== "password-change") navigate("/staff", { replace: true })
  })
  const hasIdentity = () => staff.state()?.pending?.sealedIdentity !== undefined
  // A recovery-key login keeps no password's auth key (lib/staffRecovery.ts).
  const explain = () =>
    !hasIdentity()
      ? "staff.firstExplain"
      : staff.state()?.pending?.authKey
        ? "staff.resetExplain"
        : "staff.recoveredExplain"

  const submit = async (e: Event) => {
    e.preventDefault()
    const current = staff.state()
    if (!current) return
    setError(undefined)
    try {
      const why = await checkNewPassword(password(), confirm(), [current.username, current.name])
      setFieldError(why)
      if (why) return
      setProgress(0)
      if (hasIdentity()) {
        const next = await resealPassword(current, password(), setProgress)
        staff.set(next)
        navigate(pathForStage(next.stage), { replace: true })
      } else {
        setDraft(await prepareFirstPassword(current, password(), setProgress))
      }
      setPassword("")
      setConfirm("")
    } catch (e) {
      setError(e)
    } finally {
      setProgress(undefined)
    }
  }

  const finish = async () => {
    const ready = draft()
    if (!ready) return
    setSending(true)
    setError(undefined)
    try {
      const state = await ready.finish()
      staff.set(state)
      // A role that requires a second factor goes on to enrolment.
      navigate(pathForStage(state.stage), { replace: true })
    } catch (e) {
      setError(e)
    } finally {
      setSending(false)
    }
  }

  return (
    <>
      <h1>Choose your password</h1>
      <ErrorNotice error={error()} />
      <Show
        when={draft()}
        fallback={
          <form class="card" onSubmit={submit} novalidate>
            <p>{messageFor(explain())}</p>
            <PasswordFields
              password={password()}
              confirm={confirm()}
              onPassword={setPassword}
              onConfirm={setConfirm}
              userInputs={[staff.state()?.username ?? "", staff.state()?.name ?? ""]}
              error={fieldError()}
            />
            <Show when={progress() !== undefined}>
              <ProgressBar
                label={messageFor("staff.step.keys") ?? ""}
                done={progress() ?? 0}
                total={1}
              />
            </Show>
            <button type="submit" disabled={progress() !== undefined}>
              Set password
            </button>
          </form>
        }
      >
        {(ready) => (
          <RecoveryKeyStep
            grouped={ready().grouped}
            username={staff.state()?.username ?? ""}
            action="Save password and continue"
            busy={sending()}
            onConfirmed={finish}
          />
        )}
      </Show>
    </>
  )
}
